using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Host.Tests.Tls;

/// <summary>A logger factory's provider that keeps every line (level and message) for the test to read.</summary>
internal sealed class RecordingLogs : ILoggerProvider
{
    private readonly List<(LogLevel Level, string Category, string Message)> _lines = [];

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Lines
    {
        get { lock (_lines) return [.. _lines]; }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            lock (owner._lines) owner._lines.Add((logLevel, category, formatter(state, exception)));
        }
    }
}
