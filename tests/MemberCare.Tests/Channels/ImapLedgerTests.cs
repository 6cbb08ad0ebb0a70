using MemberCare.Channels.Email;
using MemberCare.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MemberCare.Tests.Channels;

/// <summary>
/// The IMAP poller's memory: which UIDs were taken in, with the clock under the test's control. The poller's
/// conversation with a real server is in <see cref="ImapPollerTests"/>.
/// </summary>
public sealed class ImapLedgerTests
{
    private const string Mailbox = "care@imap.example/INBOX";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_claimed_uid_is_skipped_by_a_second_node_and_a_done_one_after_a_restart()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        await using var app = TestApp.Sqlite(time: time);
        var ledger = app.Services.GetRequiredService<ImapLedger>();
        var other = new ImapLedger(app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<MemberCare.Domain.Storage.MemberCareDb>>(),
            app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EmailOptions>>(), time);

        Assert.True(await ledger.ClaimAsync(Mailbox, 7, 101, Ct));
        Assert.False(await other.ClaimAsync(Mailbox, 7, 101, Ct));
        Assert.Equal([102L], await other.OpenAsync(Mailbox, 7, [101, 102], Ct));

        await ledger.CompleteAsync(Mailbox, 7, 101, "stored: message 1", Ct);
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal([102L], await ledger.OpenAsync(Mailbox, 7, [101, 102], Ct));
        Assert.False(await other.ClaimAsync(Mailbox, 7, 101, Ct));
        Assert.Equal([101L], await ledger.OpenAsync(Mailbox, 8, [101], Ct));
    }

    [Fact]
    public async Task A_claim_left_by_a_node_that_died_expires_and_a_released_one_is_open_again()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        await using var app = TestApp.Sqlite(time: time);
        var ledger = app.Services.GetRequiredService<ImapLedger>();

        Assert.True(await ledger.ClaimAsync(Mailbox, 7, 201, Ct));
        Assert.True(await ledger.ClaimAsync(Mailbox, 7, 202, Ct));
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.False(await ledger.ClaimAsync(Mailbox, 7, 201, Ct));
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.True(await ledger.ClaimAsync(Mailbox, 7, 201, Ct));

        await ledger.ReleaseAsync(Mailbox, 7, 202, Ct);
        Assert.Equal([202L], await ledger.OpenAsync(Mailbox, 7, [201, 202], Ct));
    }
}
