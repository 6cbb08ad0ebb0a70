using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MemberCare.Domain.Staff;
using MemberCare.Features.Staff;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MemberCare.BrowserTests;

public sealed class HandoffJourneyTests
{
    private const string AgentPassword = "a long passphrase for the hand-off journey";
    private const string WarehouseOneTimePassword = "warehouse-one-time-42";
    private const string WarehousePassword = "the warehouse's own long passphrase";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_agent_hands_a_wrong_size_to_the_warehouse_which_answers_in_the_portal_and_the_agent_replies_with_the_suggestion()
    {
        await using var app = new BrowserApp();
        app.Start();
        var member = await app.Services.GetRequiredService<StaffDirectory>().CreateAsync(
            new NewStaffMember("wenche", "Wenche Lager", null, "warehouse", [StaffRoles.DepartmentMember]), WarehouseOneTimePassword, Ct);
        Assert.True(member.Succeeded, string.Join(" ", member.Errors));
        using var api = app.CreateApiClient();
        var posted = await api.PostAsJsonAsync("/api/v1/messages", new
        {
            channel = "email",
            externalId = "handoff-journey-1",
            customer = new { name = "Kari Nordmann", email = "kari@example.com" },
            text = "I ordered the linen dress in M and got an L, order 10234.",
            orderNumber = "10234",
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var agent = await (await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } })).NewPageAsync();
        var shots = new Screenshots(agent, "handoff-agent");

        // The agent opens the complaint and hands it to the warehouse.
        await SignInAsync(agent, app.BaseUrl + "/inbox", "admin", BrowserApp.AdminPassword, AgentPassword);
        await Assertions.Expect(agent.GetByRole(AriaRole.Heading, new() { Name = "Inbox" })).ToBeVisibleAsync();
        await agent.Locator(".mc-inbox[data-interactive='true']").WaitForAsync(new() { Timeout = 10000 });
        await agent.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("Kari Nordmann") }).ClickAsync();
        await Assertions.Expect(agent.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("Kari Nordmann") })).ToBeVisibleAsync();
        var panel = agent.GetByRole(AriaRole.Region, new() { Name = "Hand-offs" });
        await panel.GetByLabel("Department", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Warehouse pick & pack" });
        await panel.GetByLabel("What should the department do?").FillAsync("Which size did we pack for order 10234, and can you send the M today?");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Hand off" }).ClickAsync();
        await Assertions.Expect(panel.GetByRole(AriaRole.Status).Filter(new() { HasText = "Handed off." })).ToBeVisibleAsync();
        await Assertions.Expect(panel.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Warehouse pick & pack" })).ToContainTextAsync("Requested");
        await shots.TakeAsync("handed-off");

        // A warehouse member signs in, acknowledges and answers in the department portal.
        var warehouse = await (await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } })).NewPageAsync();
        var portalShots = new Screenshots(warehouse, "handoff-warehouse");
        await SignInAsync(warehouse, app.BaseUrl + "/department", "wenche", WarehouseOneTimePassword, WarehousePassword);
        await Assertions.Expect(warehouse.GetByRole(AriaRole.Heading, new() { Name = "Department queue: Warehouse pick & pack" })).ToBeVisibleAsync();
        await warehouse.Locator(".mc-page[data-interactive='true']").WaitForAsync(new() { Timeout = 10000 });
        var card = warehouse.GetByRole(AriaRole.List, new() { Name = "Hand-offs" }).GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Which size did we pack for order 10234" });
        await Assertions.Expect(card.GetByRole(AriaRole.Blockquote)).ToContainTextAsync("I ordered the linen dress in M and got an L");
        await portalShots.TakeAsync("queue");
        await card.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await Assertions.Expect(warehouse.GetByRole(AriaRole.Status).Filter(new() { HasText = "Acknowledged." })).ToBeVisibleAsync();
        await Assertions.Expect(card).ToContainTextAsync("Acknowledged");
        await card.GetByLabel("Your answer").FillAsync("We packed an L by mistake; the M leaves with today's pickup.");
        await card.GetByRole(AriaRole.Button, new() { Name = "Send answer" }).ClickAsync();
        await Assertions.Expect(warehouse.GetByRole(AriaRole.Status).Filter(new() { HasText = "Answer sent to care." })).ToBeVisibleAsync();
        await portalShots.TakeAsync("answered");

        // The agent sees the answer without a reload and replies with the suggestion.
        await Assertions.Expect(panel).ToContainTextAsync("We packed an L by mistake", new() { Timeout = 5000 });
        await panel.GetByRole(AriaRole.Button, new() { Name = "Use suggested reply" }).ClickAsync();
        var reply = agent.GetByLabel("Reply to the customer");
        await Assertions.Expect(reply).ToHaveValueAsync(new Regex("^Hi Kari,.*the M leaves with today's pickup", RegexOptions.Singleline));
        await shots.TakeAsync("suggested-reply");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        var thread = agent.GetByRole(AriaRole.List, new() { Name = "Messages" });
        await Assertions.Expect(thread.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Thank you for waiting while we checked this with our colleagues." })).ToContainTextAsync("the M leaves with today's pickup");
        await Assertions.Expect(agent.GetByRole(AriaRole.Status).Filter(new() { HasText = "Reply sent." })).ToBeVisibleAsync();
        await shots.TakeAsync("reply-sent");
    }

    private static async Task SignInAsync(IPage page, string url, string userName, string oneTimePassword, string newPassword)
    {
        await page.GotoAsync(url);
        await page.GetByLabel("User name").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync(oneTimePassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByLabel("Current (one-time) password").FillAsync(oneTimePassword);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(newPassword);
        await page.GetByLabel("Repeat the new password").FillAsync(newPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save password" }).ClickAsync();
    }
}
