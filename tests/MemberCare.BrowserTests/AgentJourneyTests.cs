using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace MemberCare.BrowserTests;

public sealed partial class AgentJourneyTests
{
    private const string NewPassword = "a long passphrase for the journey";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_agent_signs_in_sees_a_new_message_arrive_replies_with_a_macro_searches_and_switches_to_Norwegian()
    {
        await using var app = new BrowserApp();
        app.Start();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var shots = new Screenshots(page, "agent-journey");

        // Sign in as the first administrator, whose one-time password must be replaced.
        await page.GotoAsync(app.BaseUrl + "/inbox");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(BrowserApp.AdminPassword);
        await shots.TakeAsync("sign-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose your password" })).ToBeVisibleAsync();
        await page.GetByLabel("Current (one-time) password").FillAsync(BrowserApp.AdminPassword);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await page.GetByLabel("Repeat the new password").FillAsync(NewPassword);
        await shots.TakeAsync("choose-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save password" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("No conversations in this view.")).ToBeVisibleAsync();
        await WaitForInteractivityAsync(page);
        await shots.TakeAsync("inbox-empty");

        // A customer writes; the open inbox shows it without a reload.
        using var api = app.CreateApiClient();
        var posted = Stopwatch.StartNew();
        var response = await api.PostAsJsonAsync("/api/v1/messages", new
        {
            channel = "instagram",
            externalId = "ig-journey-1",
            customer = new { name = "Kari Nordmann", handle = "@kari.style" },
            text = "Hei! I got the wrong size of the linen shirt, order 10234. See https://example.com/photo and javascript:alert(1)",
            orderNumber = "10234",
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var row = page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("Kari Nordmann") });
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 2000 });
        TestContext.Current.SendDiagnosticMessage($"The new message appeared in the open inbox after {posted.ElapsedMilliseconds} ms");
        await shots.TakeAsync("inbox-live-message");

        // Open it, reply with a macro, and see the reply in the thread.
        await row.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("Kari Nordmann") })).ToBeVisibleAsync();
        var thread = page.GetByRole(AriaRole.List, new() { Name = "Messages" });
        await Assertions.Expect(thread.GetByRole(AriaRole.Link, new() { Name = "https://example.com/photo" })).ToHaveAttributeAsync("rel", "noopener noreferrer nofollow");
        await Assertions.Expect(thread.GetByRole(AriaRole.Link, new() { Name = "javascript:alert(1)" })).ToHaveCountAsync(0);
        await page.GetByLabel("Insert macro").SelectOptionAsync(new SelectOptionValue { Label = "Wrong size: exchange (en)" });
        var reply = page.GetByLabel("Reply to the customer");
        await Assertions.Expect(reply).ToHaveValueAsync(new Regex("Hi Kari,.*order 10234", RegexOptions.Singleline));
        await shots.TakeAsync("reply-with-macro");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Assertions.Expect(thread.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "We are sending the right size today" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Reply sent." })).ToBeVisibleAsync();
        await shots.TakeAsync("reply-sent");

        // Search finds the customer's message, with the hit marked.
        await page.GetByRole(AriaRole.Link, new() { Name = "Search" }).ClickAsync();
        await page.GetByLabel("Search messages").FillAsync("linen");
        await page.GetByLabel("Search messages").PressAsync("Enter");
        var results = page.GetByRole(AriaRole.List, new() { Name = "Search results" });
        await Assertions.Expect(results.Locator("mark")).ToHaveTextAsync(new Regex("^linen$", RegexOptions.IgnoreCase));
        await Assertions.Expect(results.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("Kari Nordmann") })).ToBeVisibleAsync();
        await shots.TakeAsync("search");

        // The interface in Norwegian.
        await page.GetByRole(AriaRole.Button, new() { Name = "Norsk (bokmål)" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Søk" })).ToBeVisibleAsync();
        // The switch reloads the page; the menu speaks Norwegian once it is back. Going to the inbox by address
        // rather than by clicking the link avoids a click that lands while the reload is still under way.
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Innboks" })).ToBeVisibleAsync();
        await page.GotoAsync(app.BaseUrl + "/inbox");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Innboks" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Sorter etter")).ToBeVisibleAsync();
        await shots.TakeAsync("inbox-norwegian");
    }

    [Fact]
    public async Task The_inbox_keeps_the_agents_place_and_open_conversation_when_messages_arrive_on_a_tablet()
    {
        await using var app = new BrowserApp();
        app.Start();
        using var api = app.CreateApiClient();
        for (var i = 1; i <= 3; i++)
        {
            var created = await api.PostAsJsonAsync("/api/v1/messages", new
            {
                channel = "email",
                externalId = $"mail-{i}",
                customer = new { name = $"Customer {i}", email = $"customer{i}@example.com" },
                text = $"Question number {i}",
            }, Ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await (await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 820, Height = 1180 } })).NewPageAsync();
        var shots = new Screenshots(page, "tablet");
        await SignInAsync(page, app);

        // By keyboard: j moves to the next conversation, Enter opens it.
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("Customer 1") }).FocusAsync();
        await page.Keyboard.PressAsync("j");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("Customer 2") })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("Customer 2") })).ToBeVisibleAsync();
        await page.GetByLabel("Reply to the customer").FillAsync("Draft in progress");
        var url = page.Url;

        var another = await api.PostAsJsonAsync("/api/v1/messages", new
        {
            channel = "email",
            externalId = "mail-2-followup",
            customer = new { name = "Customer 2", email = "customer2@example.com" },
            text = "Any news on my question?",
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, another.StatusCode);
        await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "Messages" }).GetByText("Any news on my question?")).ToBeVisibleAsync(new() { Timeout = 2000 });
        Assert.Equal(url, page.Url);
        await Assertions.Expect(page.GetByLabel("Reply to the customer")).ToHaveValueAsync("Draft in progress");
        await shots.TakeAsync("open-conversation-updated");
    }

    [Fact]
    public async Task An_admin_invites_a_colleague_mentions_them_in_a_note_and_sees_them_arrive_in_the_conversation()
    {
        await using var app = new BrowserApp();
        app.Start();
        using var api = app.CreateApiClient();
        var created = await api.PostAsJsonAsync("/api/v1/messages", new
        {
            channel = "facebook",
            externalId = "fb-1",
            customer = new { name = "Nora Berg", handle = "nora.berg" },
            text = "The seam of my coat split after one week.",
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var admin = await (await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } })).NewPageAsync();
        var shots = new Screenshots(admin, "colleagues");
        await SignInAsync(admin, app);

        // The admin invites Ola as an agent and reads out the one-time password.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Staff" }).ClickAsync();
        await admin.GetByLabel("User name").FillAsync("ola");
        await admin.GetByLabel("Name", new() { Exact = true }).FillAsync("Ola Nordmann");
        await admin.GetByLabel("Department", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Member care" });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create person" }).ClickAsync();
        var notice = admin.GetByRole(AriaRole.Status).Filter(new() { HasText = "One-time password for ola" });
        await Assertions.Expect(notice).ToBeVisibleAsync();
        var oneTime = await notice.Locator("code").InnerTextAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Cell, new() { Name = "Ola Nordmann", Exact = true })).ToBeVisibleAsync();
        await shots.TakeAsync("staff-page");

        // The admin opens the case and mentions Ola in an internal note.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Inbox" }).ClickAsync();
        await admin.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("Nora Berg") }).ClickAsync();
        await admin.GetByLabel("Internal note").FillAsync("@ola can you ask buying about this seam?");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Status).Filter(new() { HasText = "1 colleague(s) notified" })).ToBeVisibleAsync();

        // Ola signs in for the first time, sees the notification and opens the case; the admin is warned.
        var ola = await (await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } })).NewPageAsync();
        await ola.GotoAsync(app.BaseUrl + "/inbox");
        await ola.GetByLabel("User name").FillAsync("ola");
        await ola.GetByLabel("Password").FillAsync(oneTime);
        await ola.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await ola.GetByLabel("Current (one-time) password").FillAsync(oneTime);
        await ola.GetByLabel("New password", new() { Exact = true }).FillAsync("olas own long passphrase");
        await ola.GetByLabel("Repeat the new password").FillAsync("olas own long passphrase");
        await ola.GetByRole(AriaRole.Button, new() { Name = "Save password" }).ClickAsync();
        await WaitForInteractivityAsync(ola);
        await ola.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("Notifications \\(1 unread\\)") }).ClickAsync();
        await ola.GetByRole(AriaRole.Link, new() { Name = "Administrator mentioned you" }).ClickAsync();
        await Assertions.Expect(ola.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("Nora Berg") })).ToBeVisibleAsync();
        await Assertions.Expect(ola.GetByRole(AriaRole.List, new() { Name = "Messages" }).GetByText("@ola can you ask buying")).ToBeVisibleAsync();
        await new Screenshots(ola, "colleagues-ola").TakeAsync("mention-opened");

        await Assertions.Expect(admin.GetByRole(AriaRole.Status).Filter(new() { HasText = "Ola Nordmann is viewing this conversation" })).ToBeVisibleAsync(new() { Timeout = 5000 });
        await ola.GetByLabel("Reply to the customer").PressSequentiallyAsync("Hi Nora");
        await Assertions.Expect(admin.GetByRole(AriaRole.Status).Filter(new() { HasText = "Ola Nordmann is typing a reply in this conversation" })).ToBeVisibleAsync(new() { Timeout = 5000 });
        await shots.TakeAsync("colleague-typing");
    }

    private static async Task SignInAsync(IPage page, BrowserApp app)
    {
        await page.GotoAsync(app.BaseUrl + "/inbox");
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(BrowserApp.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByLabel("Current (one-time) password").FillAsync(BrowserApp.AdminPassword);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await page.GetByLabel("Repeat the new password").FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save password" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox" })).ToBeVisibleAsync();
        await WaitForInteractivityAsync(page);
    }

    /// <summary>The prerendered page is visible before its circuit connects; live updates need the circuit.</summary>
    private static Task WaitForInteractivityAsync(IPage page) =>
        page.Locator(".mc-inbox[data-interactive='true']").WaitForAsync(new() { Timeout = 10000 });
}
