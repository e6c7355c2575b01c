using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using FleetOrchestrator.Protocol.Validation;

namespace FleetOrchestrator.Protocol.Idempotency;

/// <summary>
/// Device side: the last few command ids this device acted on, each with its latest answer. Commands arrive at least
/// once (MQTT QoS 1, orchestrator re-sends after a timeout or a restart), so a command id seen again must be answered
/// again with the same answer and must not be acted on twice (PROTOCOL.md §7).
/// <para>Usage: on a command, <see cref="TryGetAnswer"/>; if found, publish that answer again (with a fresh <c>seq</c>) and
/// stop. Otherwise act, and call <see cref="Remember"/> each time the command's answer changes (ack → progress → staged),
/// so a repeat during a long download gets the newest answer and does not restart the download.</para>
/// <para>Bounded: remembers the <see cref="Capacity"/> most recently first-seen ids; older ones are forgotten. The
/// orchestrator only re-sends its one outstanding command, so a handful suffices. Immutable: every change returns a new
/// instance, so it can live inside a device's immutable state (and be written to EEPROM as a whole).</para>
/// </summary>
public sealed class AnsweredCommands<TAnswer>
{
    public const int DefaultCapacity = 8;

    private readonly ImmutableArray<(string Id, TAnswer Answer)> _entries; // oldest first

    public AnsweredCommands(int capacity = DefaultCapacity)
        : this(capacity >= 1 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "must be at least 1"), [])
    {
    }

    private AnsweredCommands(int capacity, ImmutableArray<(string, TAnswer)> entries)
    {
        Capacity = capacity;
        _entries = entries;
    }

    public int Capacity { get; }

    public int Count => _entries.Length;

    /// <summary>Remembered ids, oldest first.</summary>
    public IEnumerable<string> Ids => _entries.Select(e => e.Id);

    public bool Contains(string commandId) => IndexOf(commandId) >= 0;

    /// <summary>The latest answer given to <paramref name="commandId"/>, when it is still remembered.</summary>
    public bool TryGetAnswer(string commandId, [MaybeNullWhen(false)] out TAnswer answer)
    {
        int i = IndexOf(commandId);
        answer = i >= 0 ? _entries[i].Answer : default;
        return i >= 0;
    }

    /// <summary>
    /// Records <paramref name="answer"/> as the latest answer to <paramref name="commandId"/>. A known id keeps its place;
    /// a new id evicts the oldest one when full.
    /// </summary>
    public AnsweredCommands<TAnswer> Remember(string commandId, TAnswer answer)
    {
        if (!WireIdentifiers.IsValidCommandId(commandId))
            throw new ArgumentException($"'{commandId}' is not a valid command id", nameof(commandId));
        int i = IndexOf(commandId);
        if (i >= 0) return new(Capacity, _entries.SetItem(i, (commandId, answer)));
        var entries = _entries.Length < Capacity ? _entries : _entries.RemoveAt(0);
        return new(Capacity, entries.Add((commandId, answer)));
    }

    private int IndexOf(string commandId)
    {
        for (int i = 0; i < _entries.Length; i++)
            if (string.Equals(_entries[i].Id, commandId, StringComparison.Ordinal)) return i;
        return -1;
    }
}
