namespace FleetOrchestrator.MqttLoad;

/// <summary>Command line of the measurement: <c>--clients N --fanout true|false --link tcp|inprocess</c>; the device child gets <c>devices PORT N</c>.</summary>
internal sealed record LoadSettings(int Clients, bool FanOut, int ConnectConcurrency, bool InProcess)
{
    /// <summary>Every device secret is derived from this fixed key: broker and device process agree without sharing files.</summary>
    public static readonly byte[] FleetKey = "fleet-orchestrator-load-test-key"u8.ToArray();

    public static string DeviceId(int index) => $"load-{index:00000}";

    public static LoadSettings Parse(string[] args)
    {
        int clients = 1000;
        bool fanOut = false;
        int concurrency = 200;
        bool inProcess = false;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--clients": clients = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--fanout": fanOut = bool.Parse(args[i + 1]); break;
                case "--connect-concurrency": concurrency = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--link":
                    inProcess = args[i + 1] switch
                    {
                        "tcp" => false,
                        "inprocess" => true,
                        _ => throw new ArgumentException($"--link '{args[i + 1]}': expected tcp (devices in a child process) or inprocess (devices in this process)"),
                    };
                    break;
                default: throw new ArgumentException($"unknown option '{args[i]}' (expected --clients N, --fanout true|false, --connect-concurrency N, --link tcp|inprocess)");
            }
        }
        return new LoadSettings(clients, fanOut, concurrency, inProcess);
    }
}
