using MemberCare.Domain;
using MemberCare.Domain.Conversations;

namespace MemberCare.Tests.Domain;

public sealed class ConversationTests
{
    private static readonly DateTimeOffset s_start = new(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(1));

    private static Conversation Started() => Conversation.Start(customerId: 7, Channel.Instagram, threadKey: null, subject: null, s_start);

    [Fact]
    public void A_new_conversation_is_new_and_takes_inbound_messages()
    {
        var conversation = Started();

        var message = conversation.ReceiveInbound("ig-1", "Hvor er pakken min?", s_start, "Kari", "{}", s_start);

        Assert.Equal(ConversationStatus.New, conversation.Status);
        Assert.Equal(1, conversation.MessageCount);
        Assert.Equal(MessageDirection.Inbound, message.Direction);
        Assert.Equal("ig-1", message.ExternalId);
        Assert.Equal("{}", message.RawPayload);
        Assert.Equal(TimeSpan.Zero, conversation.CreatedAt.Offset);
    }

    [Fact]
    public void A_customer_answering_while_we_wait_on_them_reopens_the_conversation()
    {
        var conversation = Started();
        conversation.ReceiveInbound("ig-1", "Hi", s_start, null, null, s_start);
        Assert.True(conversation.TryMoveTo(ConversationStatus.WaitingOnCustomer, s_start.AddMinutes(5)));

        conversation.ReceiveInbound("ig-2", "Here is the photo", s_start.AddHours(1), null, null, s_start.AddHours(1));

        Assert.Equal(ConversationStatus.Open, conversation.Status);
    }

    [Fact]
    public void A_customer_writing_while_a_department_works_does_not_change_the_status()
    {
        var conversation = Started();
        conversation.ReceiveInbound("ig-1", "Hi", s_start, null, null, s_start);
        conversation.TryMoveTo(ConversationStatus.WaitingOnDepartment, s_start);

        conversation.ReceiveInbound("ig-2", "Any news?", s_start.AddHours(1), null, null, s_start.AddHours(1));

        Assert.Equal(ConversationStatus.WaitingOnDepartment, conversation.Status);
    }

    [Theory]
    [InlineData(ConversationStatus.Resolved)]
    [InlineData(ConversationStatus.Closed)]
    public void A_resolved_or_closed_conversation_takes_no_more_inbound_messages(ConversationStatus final)
    {
        var conversation = Started();
        conversation.ReceiveInbound("ig-1", "Hi", s_start, null, null, s_start);
        conversation.TryMoveTo(ConversationStatus.Resolved, s_start);
        conversation.TryMoveTo(final, s_start);

        Assert.False(conversation.AcceptsInbound);
        Assert.Throws<InvalidOperationException>(() => conversation.ReceiveInbound("ig-2", "Again", s_start, null, null, s_start));
        Assert.Equal(1, conversation.MessageCount);
    }

    [Fact]
    public void The_first_reply_stops_the_first_response_clock_and_opens_the_conversation()
    {
        var conversation = Started();
        conversation.ReceiveInbound("ig-1", "Hi", s_start, null, null, s_start);

        conversation.Reply("Ola", "Hei! Vi ser på det.", s_start.AddMinutes(12));
        conversation.Reply("Ola", "Pakken er sendt.", s_start.AddHours(3));

        Assert.Equal(ConversationStatus.Open, conversation.Status);
        Assert.Equal(s_start.AddMinutes(12), conversation.FirstResponseAt);
        Assert.Equal(3, conversation.MessageCount);
    }

    [Fact]
    public void An_internal_note_does_not_count_as_a_response()
    {
        var conversation = Started();
        conversation.ReceiveInbound("ig-1", "Hi", s_start, null, null, s_start);

        var note = conversation.AddNote("Ola", "Checking with the warehouse", s_start.AddMinutes(3));

        Assert.Equal(MessageDirection.Note, note.Direction);
        Assert.Null(conversation.FirstResponseAt);
        Assert.Equal(ConversationStatus.New, conversation.Status);
    }

    [Fact]
    public void A_closed_conversation_takes_no_reply()
    {
        var conversation = Started();
        conversation.TryMoveTo(ConversationStatus.Closed, s_start);

        Assert.Throws<InvalidOperationException>(() => conversation.Reply("Ola", "Hello?", s_start));
    }

    public static TheoryData<ConversationStatus, ConversationStatus, bool> Transitions()
    {
        var allowed = new HashSet<(ConversationStatus, ConversationStatus)>
        {
            (ConversationStatus.New, ConversationStatus.Open),
            (ConversationStatus.New, ConversationStatus.WaitingOnDepartment),
            (ConversationStatus.New, ConversationStatus.WaitingOnCustomer),
            (ConversationStatus.New, ConversationStatus.Resolved),
            (ConversationStatus.New, ConversationStatus.Closed),
            (ConversationStatus.Open, ConversationStatus.WaitingOnDepartment),
            (ConversationStatus.Open, ConversationStatus.WaitingOnCustomer),
            (ConversationStatus.Open, ConversationStatus.Resolved),
            (ConversationStatus.WaitingOnDepartment, ConversationStatus.Open),
            (ConversationStatus.WaitingOnDepartment, ConversationStatus.WaitingOnCustomer),
            (ConversationStatus.WaitingOnDepartment, ConversationStatus.Resolved),
            (ConversationStatus.WaitingOnCustomer, ConversationStatus.Open),
            (ConversationStatus.WaitingOnCustomer, ConversationStatus.WaitingOnDepartment),
            (ConversationStatus.WaitingOnCustomer, ConversationStatus.Resolved),
            (ConversationStatus.Resolved, ConversationStatus.Open),
            (ConversationStatus.Resolved, ConversationStatus.Closed),
        };
        var data = new TheoryData<ConversationStatus, ConversationStatus, bool>();
        foreach (var from in Enum.GetValues<ConversationStatus>())
        {
            foreach (var to in Enum.GetValues<ConversationStatus>())
            {
                data.Add(from, to, allowed.Contains((from, to)));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Transitions))]
    public void Only_the_allowed_status_transitions_succeed(ConversationStatus from, ConversationStatus to, bool allowed)
    {
        Assert.Equal(allowed, ConversationStatuses.CanMove(from, to));
    }

    [Fact]
    public void A_refused_transition_changes_nothing()
    {
        var conversation = Started();
        conversation.TryMoveTo(ConversationStatus.Resolved, s_start.AddHours(1));
        var updated = conversation.UpdatedAt;

        Assert.False(conversation.TryMoveTo(ConversationStatus.WaitingOnCustomer, s_start.AddHours(2)));

        Assert.Equal(ConversationStatus.Resolved, conversation.Status);
        Assert.Equal(updated, conversation.UpdatedAt);
    }

    [Fact]
    public void Resolving_records_the_time_and_reopening_clears_it()
    {
        var conversation = Started();
        conversation.TryMoveTo(ConversationStatus.Resolved, s_start.AddHours(1));
        Assert.Equal(s_start.AddHours(1), conversation.ResolvedAt);

        conversation.TryMoveTo(ConversationStatus.Open, s_start.AddHours(2));

        Assert.Null(conversation.ResolvedAt);
        Assert.True(conversation.AcceptsInbound);
    }

    [Fact]
    public void Status_keys_round_trip()
    {
        foreach (var status in Enum.GetValues<ConversationStatus>())
        {
            Assert.True(ConversationStatuses.TryParse(status.ToKey(), out var parsed));
            Assert.Equal(status, parsed);
        }
        Assert.False(ConversationStatuses.TryParse("pending", out _));
    }

    [Fact]
    public void Text_over_64_KiB_is_refused()
    {
        var conversation = Started();
        Assert.Throws<ArgumentException>(() =>
            conversation.ReceiveInbound("ig-1", new string('a', Conversation.MaxTextLength + 1), s_start, null, null, s_start));
        Assert.Equal(0, conversation.MessageCount);
    }

    [Fact]
    public void An_order_reference_is_stored_without_decoration()
    {
        var conversation = Started();
        conversation.ReferOrder("  #10234 ");
        Assert.Equal("10234", conversation.OrderNumber);
    }
}
