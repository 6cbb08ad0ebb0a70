using MemberCare.Domain.Conversations;
using MemberCare.Domain.Staff;
using MemberCare.Features.Conversations;
using MemberCare.Features.Inbox;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MemberCare.Tests.Workspace;

public sealed class WorkspaceInboxTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Keyset_pages_cover_every_active_conversation_once_in_each_sort()
    {
        await using var app = TestApp.Sqlite();
        for (var i = 0; i < 23; i++)
        {
            await Customers.WriteAsync(app, $"m-{i}", $"Customer {i}", $"Message {i}");
        }
        await using (var db = await app.OpenDbAsync())
        {
            var all = await db.Conversations.OrderBy(c => c.Id).ToListAsync(Ct);
            foreach (var (c, i) in all.Select((c, i) => (c, i)))
            {
                c.SetPriority((Priority)(i % 4), c.CreatedAt);
            }
            await db.SaveChangesAsync(Ct);
        }
        var inbox = app.Services.GetRequiredService<InboxQuery>();
        var viewer = new InboxViewer("nobody", null);
        foreach (var sort in new[] { "due", "priority", "newest" })
        {
            var seen = new List<InboxRow>();
            string? cursor = null;
            do
            {
                var page = await inbox.PageAsync(new InboxFilter(Sort: sort, After: cursor), viewer, Ct, pageSize: 5);
                seen.AddRange(page.Rows);
                cursor = page.NextCursor;
            }
            while (cursor is not null);
            Assert.Equal(23, seen.Select(r => r.Id).Distinct().Count());
            Assert.Equal(23, seen.Count);
            if (sort == "due")
            {
                Assert.Equal(seen.OrderBy(r => r.SlaDueAt).ThenBy(r => r.Id).Select(r => r.Id), seen.Select(r => r.Id));
                Assert.Equal(Priority.Urgent, seen[0].Priority);
            }
            if (sort == "priority")
            {
                Assert.Equal(seen.OrderByDescending(r => r.Priority).ThenByDescending(r => r.LastMessageAt).ThenByDescending(r => r.Id).Select(r => r.Id), seen.Select(r => r.Id));
            }
        }
    }

    [Fact]
    public async Task Filters_narrow_the_inbox_to_status_channel_priority_and_assignee()
    {
        await using var app = TestApp.Sqlite();
        var agnes = await StaffSession.CreateAsync(app, "agnes", StaffRoles.Agent);
        var mail = await Customers.WriteAsync(app, "e-1", "Mail Person", "By e-mail");
        var insta = await Customers.WriteAsync(app, "i-1", "Insta Person", "By Instagram", channel: "instagram");
        var done = await Customers.WriteAsync(app, "e-2", "Done Person", "Solved already");
        var desk = app.Services.GetRequiredService<ConversationDesk>();
        await desk.AssignAsync(insta, agnes, Ct);
        await desk.ChangeStatusAsync(done, ConversationStatus.Resolved, Ct);
        await using (var db = await app.OpenDbAsync())
        {
            var c = await db.Conversations.SingleAsync(c => c.Id == mail, Ct);
            c.SetPriority(Priority.Urgent, c.CreatedAt);
            await db.SaveChangesAsync(Ct);
        }
        var inbox = app.Services.GetRequiredService<InboxQuery>();
        var me = new InboxViewer(agnes, null);

        async Task<long[]> Ids(InboxFilter f) => [.. (await inbox.PageAsync(f, me, Ct)).Rows.Select(r => r.Id).Order()];

        Assert.Equal([mail, insta], await Ids(new InboxFilter()));
        Assert.Equal([mail, insta, done], await Ids(new InboxFilter(Status: "all", Sort: "newest")));
        Assert.Equal([done], await Ids(new InboxFilter(Status: "resolved", Sort: "newest")));
        Assert.Equal([insta], await Ids(new InboxFilter(Channel: "instagram")));
        Assert.Equal([mail], await Ids(new InboxFilter(Priority: "urgent")));
        Assert.Equal([insta], await Ids(new InboxFilter(Assigned: "me")));
        Assert.Equal([mail], await Ids(new InboxFilter(Assigned: "unassigned")));
        Assert.Equal([insta], await Ids(new InboxFilter(Assigned: "team")));
        Assert.Equal([mail], await Ids(new InboxFilter(Sla: "soon")));
        Assert.Empty(await Ids(new InboxFilter(Language: "de")));
    }

    [Fact]
    public async Task A_case_whose_deadline_is_within_the_hour_is_breaching_soon()
    {
        await using var app = TestApp.Sqlite();
        var late = await Customers.WriteAsync(app, "e-1", "Late Person", "Still waiting");
        await Customers.WriteAsync(app, "e-2", "Fresh Person", "Just wrote");
        await using (var db = await app.OpenDbAsync())
        {
            var c = await db.Conversations.SingleAsync(c => c.Id == late, Ct);
            // An urgent case owes its first answer within the hour: it is breaching soon from the start.
            c.SetPriority(Priority.Urgent, c.CreatedAt);
            await db.SaveChangesAsync(Ct);
        }
        var rows = (await app.Services.GetRequiredService<InboxQuery>().PageAsync(new InboxFilter(Sla: "soon"), new InboxViewer("x", null), Ct)).Rows;
        Assert.Equal([late], rows.Select(r => r.Id));
    }

    [Fact]
    public async Task The_deadline_follows_the_case_first_response_then_resolution_and_none_while_waiting_on_the_customer()
    {
        await using var app = TestApp.Sqlite();
        var id = await Customers.WriteAsync(app, "e-1", "Kari Nordmann", "Hello");
        var desk = app.Services.GetRequiredService<ConversationDesk>();
        async Task<(DateTimeOffset? Due, DateTimeOffset Created)> DueAsync()
        {
            await using var db = await app.OpenDbAsync();
            var c = await db.Conversations.AsNoTracking().SingleAsync(c => c.Id == id, Ct);
            return (c.SlaDueAt, c.CreatedAt);
        }
        var (due, created) = await DueAsync();
        Assert.Equal(created + SlaTargets.FirstResponse(Priority.Normal), due);
        await desk.ReplyAsync(id, "Agnes", "We are on it", Ct);
        Assert.Equal(created + SlaTargets.Resolution(Priority.Normal), (await DueAsync()).Due);
        await desk.ChangeStatusAsync(id, ConversationStatus.WaitingOnCustomer, Ct);
        Assert.Null((await DueAsync()).Due);
    }

    [Fact]
    public async Task Views_count_their_conversations_and_a_saved_view_keeps_its_filters()
    {
        await using var app = TestApp.Sqlite();
        var agnes = await StaffSession.CreateAsync(app, "agnes", StaffRoles.Agent);
        var a = await Customers.WriteAsync(app, "i-1", "Insta One", "One", channel: "instagram");
        await Customers.WriteAsync(app, "i-2", "Insta Two", "Two", channel: "instagram");
        await Customers.WriteAsync(app, "e-1", "Mail One", "Three");
        await app.Services.GetRequiredService<ConversationDesk>().AssignAsync(a, agnes, Ct);
        var views = app.Services.GetRequiredService<InboxViews>();
        var viewer = new InboxViewer(agnes, null);
        Assert.True(await views.SaveAsync(agnes, "Instagram", new InboxFilter(Channel: "instagram", After: "ignored"), Ct));

        var counts = (await views.CountsAsync(viewer, Ct)).ToDictionary(v => v.Name, v => v.Count);
        Assert.Equal(3, counts["ViewActive"]);
        Assert.Equal(1, counts["ViewMine"]);
        Assert.Equal(2, counts["ViewUnassigned"]);
        Assert.Equal(2, counts["Instagram"]);
        var saved = (await views.CountsAsync(viewer, Ct)).Single(v => v.Name == "Instagram");
        Assert.Equal("channel=instagram", saved.Query);
    }

    [Fact]
    public async Task The_inbox_filters_live_in_the_query_string_and_render_on_the_server()
    {
        await using var app = TestApp.Sqlite();
        await StaffSession.CreateAsync(app, "agnes", StaffRoles.Agent);
        await Customers.WriteAsync(app, "i-1", "Insta Person", "By Instagram", channel: "instagram");
        await Customers.WriteAsync(app, "e-1", "Mail Person", "By e-mail");
        var client = await StaffSession.SignedInAsync(app, "agnes");
        var html = await client.GetStringAsync("/inbox?channel=instagram&sort=newest", Ct);
        Assert.Contains("Insta Person", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Mail Person", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"instagram\" selected", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_filter_survives_the_trip_through_its_query_string()
    {
        var filter = new InboxFilter("open", "instagram", "wrong_size", "high", "nb", "me", "soon", "priority", "abc");
        Assert.Equal(filter, InboxFilter.FromQuery(filter.ToQuery()));
        Assert.Equal("status=open&sort=newest", new InboxFilter(Status: "open", Sort: "newest").ToQuery());
        Assert.Null(new InboxFilter(Priority: "3").PriorityValue);
        Assert.Equal(InboxSort.Due, new InboxFilter(Sort: "nonsense").SortOrder);
    }
}
