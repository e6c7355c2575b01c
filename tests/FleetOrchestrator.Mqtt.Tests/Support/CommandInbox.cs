using System.Collections.Concurrent;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Mqtt.Tests.Support;

/// <summary>What a test device received: decoded commands and malformed-command reasons, awaitable with a deadline.</summary>
internal sealed class CommandInbox
{
    private readonly ConcurrentQueue<DeviceCommand> _commands = new();
    private readonly object _gate = new();
    private readonly List<(Func<DeviceCommand, bool> Match, TaskCompletionSource<DeviceCommand> Done)> _waiters = [];

    public IReadOnlyCollection<DeviceCommand> Commands => _commands.ToArray();
    public ConcurrentQueue<string> Malformed { get; } = new();

    public Task OnCommand(DeviceCommand command)
    {
        List<TaskCompletionSource<DeviceCommand>> toComplete = [];
        lock (_gate)
        {
            _commands.Enqueue(command);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(command)) continue;
                toComplete.Add(_waiters[i].Done);
                _waiters.RemoveAt(i);
            }
        }
        foreach (var done in toComplete) done.TrySetResult(command);
        return Task.CompletedTask;
    }

    public void OnMalformed(string reason) => Malformed.Enqueue(reason);

    public Task<DeviceCommand> WaitFor(string commandId, TimeSpan? timeout = null)
    {
        var done = new TaskCompletionSource<DeviceCommand>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var already = _commands.FirstOrDefault(c => c.Id == commandId);
            if (already is not null) return Task.FromResult(already);
            _waiters.Add((c => c.Id == commandId, done));
        }
        return done.Task.WaitAsync(timeout ?? Deadline.Default);
    }
}
