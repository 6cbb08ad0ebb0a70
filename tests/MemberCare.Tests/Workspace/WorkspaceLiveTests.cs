using System.Threading.Channels;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Staff;
using MemberCare.Domain.Workspace;
using MemberCare.Features.Conversations;
using MemberCare.Features.Workspace;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MemberCare.Tests.Workspace;

public sealed class WorkspaceLiveTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static (IDisposable Subscription, ChannelReader<WorkspaceEvent> Events) Listen(TestApp app)
    {
        var events = Channel.CreateUnbounded<WorkspaceEvent>();
        var subscription = app.Services.GetRequiredService<IWorkspaceFeed>().Subscribe(e => events.Writer.WriteAsync(e).AsTask());
        return (subscription, events.Reader);
    }

    private static async Task<WorkspaceEvent> NextAsync(ChannelReader<WorkspaceEvent> events, Func<WorkspaceEvent, bool> match)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        while (true)
        {
            var e = await events.ReadAsync(timeout.Token);
            if (match(e))
            {
                return e;
            }
        }
    }

    [Fact]
    public async Task A_message_taken_in_by_the_API_is_announced_after_its_commit()
    {
        await using var app = TestApp.Sqlite();
        var (subscription, events) = Listen(app);
        using var _ = subscription;
        var id = await Customers.WriteAsync(app, "e-1", "Kari Nordmann", "Hello");
        var e = await NextAsync(events, e => e.Kind == WorkspaceEventKind.MessageAdded);
        Assert.Equal(id, e.ConversationId);
        await using var db = await app.OpenDbAsync();
        Assert.True(await db.Conversations.AnyAsync(c => c.Id == e.ConversationId, Ct));
    }

    [Fact]
    public async Task A_duplicate_delivery_announces_nothing()
    {
        await using var app = TestApp.Sqlite();
        await Customers.WriteAsync(app, "e-1", "Kari Nordmann", "Hello");
        var (subscription, events) = Listen(app);
        using var _ = subscription;
        await Customers.WriteAsync(app, "e-1", "Kari Nordmann", "Hello");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NextAsync(events, _ => true));
    }

    [Fact]
    public async Task Replies_status_changes_and_assignments_are_announced()
    {
        await using var app = TestApp.Sqlite();
        var id = await Customers.WriteAsync(app, "e-1", "Kari Nordmann", "Hello");
        var (subscription, events) = Listen(app);
        using var _ = subscription;
        var desk = app.Services.GetRequiredService<ConversationDesk>();
        await desk.ReplyAsync(id, "Agnes", "Hi Kari", Ct);
        Assert.Equal(id, (await NextAsync(events, e => e.Kind == WorkspaceEventKind.MessageAdded)).ConversationId);
        await desk.ChangeStatusAsync(id, ConversationStatus.Resolved, Ct);
        Assert.Equal(id, (await NextAsync(events, e => e.Kind == WorkspaceEventKind.ConversationChanged)).ConversationId);
        await desk.AssignAsync(id, null, Ct);
        Assert.Equal(id, (await NextAsync(events, e => e.Kind == WorkspaceEventKind.ConversationChanged)).ConversationId);
    }

    [Fact]
    public async Task A_note_that_mentions_a_colleague_notifies_them_and_nobody_else()
    {
        await using var app = TestApp.Sqlite();
        var agnes = await StaffSession.CreateAsync(app, "agnes", StaffRoles.Agent);
        var ola = await StaffSession.CreateAsync(app, "ola.n", StaffRoles.Lead);
        await StaffSession.CreateAsync(app, "per", StaffRoles.Agent);
        var id = await Customers.WriteAsync(app, "e-1", "Kari Nordmann", "Hello");
        var (subscription, events) = Listen(app);
        using var _ = subscription;

        var mentions = app.Services.GetRequiredService<Mentions>();
        var (outcome, note, notified) = await mentions.AddNoteAsync(id, agnes, "Agnes Hansen",
            "@ola.n can you check the refund? (mail kari@example.com, not @agnes herself)", Ct);

        Assert.Equal(DeskOutcome.Done, outcome);
        Assert.Equal("note", note!.Direction);
        Assert.Equal(1, notified);
        Assert.Equal(ola, (await NextAsync(events, e => e.Kind == WorkspaceEventKind.Notification)).UserId);
        Assert.Equal(1, await mentions.UnreadCountAsync(ola, Ct));
        var recent = await mentions.RecentAsync(ola, 10, Ct);
        Assert.Equal(id, Assert.Single(recent).ConversationId);
        await mentions.MarkAllReadAsync(ola, Ct);
        Assert.Equal(0, await mentions.UnreadCountAsync(ola, Ct));
    }

    [Fact]
    public void Mentions_are_user_names_after_an_at_sign_not_e_mail_addresses()
    {
        Assert.Equal(["kari", "ola.n"], Mentions.Find("@kari and @ola.n. Mail per@example.com or @KARI again"));
        Assert.Empty(Mentions.Find("nothing here, a@b.no"));
    }

    [Fact]
    public async Task Presence_shows_who_else_views_or_types_and_is_announced()
    {
        await using var app = TestApp.Sqlite();
        var id = await Customers.WriteAsync(app, "e-1", "Kari Nordmann", "Hello");
        var board = app.Services.GetRequiredService<PresenceBoard>();
        var (subscription, events) = Listen(app);
        using var _ = subscription;

        await board.ReportAsync(id, "u-agnes", "Agnes", PresenceActivity.Viewing, Ct);
        Assert.Equal("u-agnes", (await NextAsync(events, e => e.Kind == WorkspaceEventKind.Presence)).UserId);
        await board.ReportAsync(id, "u-ola", "Ola", PresenceActivity.Typing, Ct);
        await board.ReportAsync(id, "u-agnes", "Agnes", PresenceActivity.Viewing, Ct);

        var seenByAgnes = await board.OthersAsync(id, "u-agnes", Ct);
        Assert.Equal(new PresenceView("u-ola", "Ola", PresenceActivity.Typing), Assert.Single(seenByAgnes));
        Assert.Equal("Agnes", Assert.Single(await board.OthersAsync(id, "u-ola", Ct)).DisplayName);

        await board.LeaveAsync(id, "u-ola", Ct);
        Assert.Empty(await board.OthersAsync(id, "u-agnes", Ct));
    }

    [Fact]
    public async Task Presence_expires_when_the_heartbeat_stops()
    {
        await using var app = TestApp.Sqlite();
        var id = await Customers.WriteAsync(app, "e-1", "Kari Nordmann", "Hello");
        await using (var db = await app.OpenDbAsync())
        {
            db.Presences.Add(Presence.Start(id, "u-gone", "Gone", PresenceActivity.Typing, DateTimeOffset.UnixEpoch));
            await db.SaveChangesAsync(Ct);
        }
        var board = app.Services.GetRequiredService<PresenceBoard>();
        Assert.Empty(await board.OthersAsync(id, "u-agnes", Ct));
        Assert.Equal(1, await board.SweepAsync(Ct));
    }
}
