using FleetOrchestrator.Protocol.Idempotency;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Protocol.Tests;

public class AnsweredCommandsTests
{
    [Fact]
    public void A_repeated_id_gets_the_latest_answer()
    {
        var memory = new AnsweredCommands<string>()
            .Remember("dl-1", "ack")
            .Remember("dl-1", "progress 50%")
            .Remember("dl-1", "staged");

        Assert.True(memory.TryGetAnswer("dl-1", out var answer));
        Assert.Equal("staged", answer);
        Assert.Equal(1, memory.Count);
    }

    [Fact]
    public void An_unknown_id_has_no_answer()
    {
        var memory = new AnsweredCommands<string>().Remember("a", "x");
        Assert.False(memory.TryGetAnswer("b", out _));
        Assert.False(memory.Contains("A")); // ids are case-sensitive
    }

    [Fact]
    public void It_is_immutable()
    {
        var empty = new AnsweredCommands<int>();
        var one = empty.Remember("a", 1);
        var two = one.Remember("a", 2);

        Assert.Equal(0, empty.Count);
        Assert.True(one.TryGetAnswer("a", out int first));
        Assert.Equal(1, first);
        Assert.True(two.TryGetAnswer("a", out int second));
        Assert.Equal(2, second);
    }

    [Fact]
    public void When_full_the_oldest_first_seen_id_is_forgotten_and_updates_keep_their_place()
    {
        var memory = new AnsweredCommands<int>(capacity: 3).Remember("a", 1).Remember("b", 2).Remember("c", 3);
        memory = memory.Remember("a", 10); // an update does not make "a" younger
        memory = memory.Remember("d", 4);

        Assert.Equal(["b", "c", "d"], memory.Ids);
        Assert.False(memory.Contains("a"));
        Assert.Equal(3, memory.Count);
    }

    [Fact]
    public void Invalid_ids_and_capacities_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AnsweredCommands<int>(0));
        Assert.Throws<ArgumentException>(() => new AnsweredCommands<int>().Remember("no spaces", 1));
    }
}

public class StaleEventRuleTests
{
    private static readonly DeviceEvent StagedForC2 = new ImageStaged("c-2", 20, Samples.V110, 100, 1);

    [Fact]
    public void A_new_answer_to_the_outstanding_command_is_accepted()
    {
        Assert.Equal(EventAdmission.Accept, StaleEventRule.Judge(StagedForC2, lastSeenSequence: 19, outstandingCommandId: "c-2"));
        Assert.Equal(EventAdmission.Accept, StaleEventRule.Judge(StagedForC2, lastSeenSequence: null, outstandingCommandId: "c-2"));
    }

    [Theory]
    [InlineData(20)]
    [InlineData(21)]
    [InlineData(long.MaxValue)]
    public void A_redelivered_or_older_event_is_stale(long lastSeen)
    {
        Assert.Equal(EventAdmission.StaleSequence, StaleEventRule.Judge(StagedForC2, lastSeen, "c-2"));
    }

    [Theory]
    [InlineData("c-1")]
    [InlineData(null)]
    [InlineData("C-2")]
    public void An_answer_to_another_command_is_dropped(string? outstanding)
    {
        Assert.Equal(EventAdmission.AnswersOtherCommand, StaleEventRule.Judge(StagedForC2, 5, outstanding));
    }

    [Fact]
    public void Facts_are_accepted_whatever_is_outstanding()
    {
        DeviceEvent[] facts =
        [
            new DeviceBooted("c-0", 30, Samples.V100, BankId.Bank1, ImageState.Committed, ResetCause.OptionByteLoad, 3),
            new HealthReported(null, 31, false, null),
            new RolledBackOnDevice(null, 32, Samples.V100, ErrorReasons.BootGuard),
            new StateReported(null, 33, Samples.State),
        ];
        foreach (var fact in facts)
        {
            Assert.False(StaleEventRule.IsAnswer(fact));
            Assert.Equal(EventAdmission.Accept, StaleEventRule.Judge(fact, 29, "c-9"));
        }
        Assert.Equal(EventAdmission.StaleSequence, StaleEventRule.Judge(facts[0], 30, "c-9"));
    }

    [Fact]
    public void State_with_a_command_id_is_an_answer_to_getState()
    {
        var answer = new StateReported("c-5", 40, Samples.State);
        Assert.True(StaleEventRule.IsAnswer(answer));
        Assert.Equal(EventAdmission.AnswersOtherCommand, StaleEventRule.Judge(answer, 1, "c-6"));
    }

    [Fact]
    public void The_watermark_never_goes_down()
    {
        Assert.Equal(20, StaleEventRule.Advance(null, StagedForC2));
        Assert.Equal(20, StaleEventRule.Advance(7, StagedForC2));
        Assert.Equal(99, StaleEventRule.Advance(99, StagedForC2));
    }

    [Fact]
    public void A_duplicated_and_reordered_stream_is_processed_once_in_order()
    {
        // What QoS 1 redelivery and a re-sent command produce: the device's re-answer gets a fresh seq.
        var ack = new CommandAcknowledged("c-2", 10, true, null);
        var progress = new DownloadProgress("c-2", 11, 50, 100);
        var staged = new ImageStaged("c-2", 12, Samples.V110, 100, 1);
        var lateOld = new CommandAcknowledged("c-1", 13, true, null);
        var reAnswer = new ImageStaged("c-2", 14, Samples.V110, 100, 1);
        DeviceEvent[] received = [ack, ack, progress, staged, progress, lateOld, staged, reAnswer];

        long? watermark = null;
        var processed = new List<DeviceEvent>();
        foreach (var evt in received)
        {
            var verdict = StaleEventRule.Judge(evt, watermark, "c-2");
            if (verdict == EventAdmission.Accept) processed.Add(evt);
            if (verdict != EventAdmission.StaleSequence) watermark = StaleEventRule.Advance(watermark, evt);
        }

        Assert.Equal<DeviceEvent>([ack, progress, staged, reAnswer], processed);
        Assert.Equal(14, watermark);
    }
}
