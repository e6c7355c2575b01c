using BenchmarkDotNet.Running;

// Every [Benchmark] class in this assembly is selectable: dotnet run -c Release -- --filter '*Crc*' --job short
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
