using MemberCare.Features.Conversations;

namespace MemberCare.Tests.Domain;

public sealed class CursorTests
{
    [Fact]
    public void A_cursor_round_trips_time_and_id()
    {
        var at = new DateTimeOffset(2026, 11, 23, 10, 5, 3, 123, TimeSpan.Zero).AddTicks(4567);
        var cursor = ConversationDesk.Cursor.Encode(at, 42);

        Assert.True(ConversationDesk.Cursor.TryDecode(cursor, out var decodedAt, out var id));
        Assert.Equal(at, decodedAt);
        Assert.Equal(42, id);
        Assert.DoesNotContain('=', cursor);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("MTIz")]
    [InlineData("LTE6Mg")]
    [InlineData("OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk6MQ")]
    public void A_made_up_cursor_is_refused(string cursor)
    {
        Assert.False(ConversationDesk.Cursor.IsValid(cursor));
    }
}
