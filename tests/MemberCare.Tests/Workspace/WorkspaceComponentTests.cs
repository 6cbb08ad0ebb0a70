using System.Security.Claims;
using Bunit;
using MemberCare.Components.Common;
using MemberCare.Domain.Staff;
using MemberCare.Domain.Workspace;
using MemberCare.Features.Conversations;
using MemberCare.Features.Inbox;
using MemberCare.Features.Search;
using MemberCare.Features.Staff;
using MemberCare.Features.Workspace;
using MemberCare.Hosting;
using MemberCare.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace MemberCare.Tests.Workspace;

public sealed class WorkspaceComponentTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task Customer_text_is_rendered_as_text_and_only_web_links_become_anchors()
    {
        await using var ctx = Plain();
        var cut = ctx.Render<SafeText>(p => p.Add(c => c.Text,
            "<img src=x onerror=alert(1)> see https://example.com/a and javascript:alert(2)"));

        Assert.Empty(cut.FindAll("img"));
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", cut.Markup, StringComparison.Ordinal);
        var link = Assert.Single(cut.FindAll("a"));
        Assert.Equal("https://example.com/a", link.GetAttribute("href"));
        Assert.Equal("noopener noreferrer nofollow", link.GetAttribute("rel"));
        Assert.Equal("_blank", link.GetAttribute("target"));
    }

    [Fact]
    public async Task Search_hits_are_marked_and_the_rest_stays_text()
    {
        await using var ctx = Plain();
        var cut = ctx.Render<Highlighted>(p => p.Add(c => c.Segments, SearchTerms.Segments("a <b>\u0002linen\u0003</b> shirt")));
        Assert.Equal("linen", Assert.Single(cut.FindAll("mark")).TextContent);
        Assert.Empty(cut.FindAll("b"));
    }

    [Fact]
    public async Task Choosing_a_macro_fills_the_reply_for_this_customer_and_sending_adds_it_to_the_thread()
    {
        await using var app = TestApp.Sqlite();
        var agnes = await StaffSession.CreateAsync(app, "agnes", StaffRoles.Agent);
        var id = await Customers.WriteAsync(app, "ig-1", "Kari Nordmann", "Wrong size!", channel: "instagram", orderNumber: "#10234");
        await using var ctx = Workspace(app, agnes, "Agnes Hansen");

        var cut = ctx.Render<ConversationPane>(p => p.Add(c => c.ConversationId, id));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#macro option")), TimeSpan.FromSeconds(5));
        var macro = (await app.Services.GetRequiredService<MacroLibrary>().ListAsync(Ct)).First(m => m.Name == "Wrong size: exchange");
        await cut.Find("#macro").ChangeAsync(new ChangeEventArgs { Value = macro.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        var reply = cut.Find("#reply-text").GetAttribute("value") ?? cut.Find("#reply-text").TextContent;
        Assert.StartsWith("Hi Kari,", reply, StringComparison.Ordinal);
        Assert.Contains("order 10234", reply, StringComparison.Ordinal);
        Assert.EndsWith("Agnes", reply, StringComparison.Ordinal);
        Assert.Equal("", cut.Find("#macro").GetAttribute("value") ?? "");

        await cut.FindAll("button").Single(b => b.TextContent == "Send reply").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll(".mc-outbound"), m => m.TextContent.Contains("Hi Kari,", StringComparison.Ordinal)), TimeSpan.FromSeconds(5));
        var stored = await app.Services.GetRequiredService<ConversationDesk>().GetAsync(id, Ct);
        Assert.Equal("Agnes Hansen", stored!.Messages[^1].AuthorName);
    }

    [Fact]
    public async Task An_agent_is_warned_when_a_colleague_types_in_the_same_conversation()
    {
        await using var app = TestApp.Sqlite();
        var agnes = await StaffSession.CreateAsync(app, "agnes", StaffRoles.Agent);
        var id = await Customers.WriteAsync(app, "e-1", "Kari Nordmann", "Hello");
        await using var ctx = Workspace(app, agnes, "Agnes Hansen");

        var cut = ctx.Render<ConversationPane>(p => p.Add(c => c.ConversationId, id));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll(".mc-thread li")), TimeSpan.FromSeconds(5));
        Assert.Empty(cut.FindAll(".mc-presence"));

        await app.Services.GetRequiredService<PresenceBoard>().ReportAsync(id, "u-ola", "Ola", PresenceActivity.Typing, Ct);
        cut.WaitForAssertion(() => Assert.Equal("Ola is typing a reply in this conversation", cut.Find(".mc-presence").TextContent.Trim()), TimeSpan.FromSeconds(2));
        Assert.Equal("status", cut.Find(".mc-presence").GetAttribute("role"));
    }

    [Fact]
    public async Task The_open_conversation_shows_a_new_customer_message_without_being_reopened()
    {
        await using var app = TestApp.Sqlite();
        var agnes = await StaffSession.CreateAsync(app, "agnes", StaffRoles.Agent);
        var id = await Customers.WriteAsync(app, "e-1", "Kari Nordmann", "Hello");
        await using var ctx = Workspace(app, agnes, "Agnes Hansen");
        var cut = ctx.Render<ConversationPane>(p => p.Add(c => c.ConversationId, id));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".mc-thread li")), TimeSpan.FromSeconds(5));

        await Customers.WriteAsync(app, "e-2", "Kari Nordmann", "Any news?");
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".mc-thread li").Count), TimeSpan.FromSeconds(2));
    }

    /// <summary>A component context wired to the real application's services, as an interactive circuit of this person.</summary>
    private static BunitContext Workspace(TestApp app, string userId, string displayName)
    {
        var ctx = Plain();
        foreach (var type in new[]
        {
            typeof(CaseFile), typeof(ConversationDesk), typeof(Mentions), typeof(MacroLibrary), typeof(PresenceBoard),
            typeof(StaffDirectory), typeof(IWorkspaceFeed), typeof(TimeProvider), typeof(Features.Defects.DefectLog),
            typeof(Features.Departments.Handoffs), typeof(Features.Routing.RuleBook),
        })
        {
            ctx.Services.AddSingleton(type, app.Services.GetRequiredService(type));
        }
        var auth = ctx.AddAuthorization();
        auth.SetAuthorized(displayName);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId), new Claim(Auth.DisplayNameClaim, displayName));
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return ctx;
    }

    private static BunitContext Plain()
    {
        var ctx = new BunitContext();
        ctx.Services.AddLocalization();
        return ctx;
    }
}
