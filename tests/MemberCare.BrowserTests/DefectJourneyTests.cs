using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MemberCare.Domain.Spikes;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MemberCare.BrowserTests;

public sealed class DefectJourneyTests
{
    private const string NewPassword = "a long passphrase for the defect journey";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_lead_turns_a_conversation_into_a_defect_fixes_it_closes_it_with_a_lesson_and_reads_it_in_the_briefing()
    {
        await using var app = new BrowserApp();
        app.Start();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });

        await page.GotoAsync(app.BaseUrl + "/inbox");
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(BrowserApp.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByLabel("Current (one-time) password").FillAsync(BrowserApp.AdminPassword);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await page.GetByLabel("Repeat the new password").FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save password" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox" })).ToBeVisibleAsync();
        await page.Locator(".mc-inbox[data-interactive='true']").WaitForAsync(new() { Timeout = 10000 });

        using var api = app.CreateApiClient();
        var response = await api.PostAsJsonAsync("/api/v1/messages", new
        {
            channel = "email",
            externalId = "defect-journey-1",
            customer = new { name = "Kari Nordmann", email = "kari@example.com" },
            text = "I ordered the linen dress in M and got an L. Second time this month!",
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        // From the conversation: "this was our mistake".
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("Kari Nordmann") }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("Kari Nordmann") })).ToBeVisibleAsync();
        await page.GetByLabel("Mistake category").SelectOptionAsync("pick_or_pack_error");
        await page.GetByRole(AriaRole.Button, new() { Name = "This was our mistake" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^Defect #\\d+") })).ToBeVisibleAsync();
        var status = page.GetByRole(AriaRole.Status, new() { Name = "Defect status" });
        await Assertions.Expect(status).ToContainTextAsync("open");
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Recovery tasks" })).ToContainTextAsync("Kari Nordmann");

        await FixAndCloseWithLessonAsync(page, status);
    }

    [Fact]
    public async Task A_lead_accepts_a_spike_alert_fixes_the_defect_it_opens_closes_it_with_a_lesson_and_reads_it_in_the_briefing()
    {
        await using var app = new BrowserApp();
        app.Start();
        using var api = app.CreateApiClient();
        string[] customers = ["Kari Nordmann", "Nora Berg", "Ola Hansen"];
        for (var i = 0; i < customers.Length; i++)
        {
            var response = await api.PostAsJsonAsync("/api/v1/messages", new
            {
                channel = "email",
                externalId = $"spike-journey-{i}",
                customer = new { name = customers[i], email = $"spike{i}@example.com" },
                text = "I ordered the linen dress in M and got an L. Second time this month!",
            }, Ct);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        await RaiseSpikeAlertAsync(app, "Wrong size: linen dress", ["spike-journey-0", "spike-journey-1", "spike-journey-2"]);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        var shots = new Screenshots(page, "spike-journey");
        await SignInAsync(page, app);

        // The proposed alert, with the messages that raised it.
        await page.GotoAsync(app.BaseUrl + "/spikes");
        await page.Locator(".mc-page[data-interactive='true']").WaitForAsync(new() { Timeout = 10000 });
        var alert = page.GetByRole(AriaRole.List, new() { Name = "Spikes" }).GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Wrong size: linen dress" });
        await Assertions.Expect(alert).ToContainTextAsync("Proposed");
        await alert.GetByRole(AriaRole.Link, new() { Name = "Wrong size: linen dress" }).ClickAsync();
        await page.Locator(".mc-page[data-interactive='true']").WaitForAsync(new() { Timeout = 10000 });
        await Assertions.Expect(alert.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("Nora Berg") })).ToBeVisibleAsync();
        await shots.TakeAsync("proposed-alert");

        // Accepting opens the defect, with every linked customer in recovery.
        await alert.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/defects/\\d+$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^Defect #\\d+") })).ToBeVisibleAsync();
        var status = page.GetByRole(AriaRole.Status, new() { Name = "Defect status" });
        await Assertions.Expect(status).ToContainTextAsync("open");
        var recovery = page.GetByRole(AriaRole.Table, new() { Name = "Recovery tasks" });
        foreach (var customer in customers)
        {
            await Assertions.Expect(recovery).ToContainTextAsync(customer);
        }
        await shots.TakeAsync("defect-from-alert");

        await FixAndCloseWithLessonAsync(page, status);
        await shots.TakeAsync("briefing-lesson");
    }

    /// <summary>What the detector writes when a signature tips: its baseline and a proposed alert linking the messages.</summary>
    private static async Task RaiseSpikeAlertAsync(BrowserApp app, string label, IReadOnlyList<string> externalIds)
    {
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<MemberCareDb>>().CreateDbContextAsync(Ct);
        var messages = await db.Messages.Where(m => m.ExternalId != null && externalIds.Contains(m.ExternalId)).Select(m => m.Id).ToListAsync(Ct);
        Assert.Equal(externalIds.Count, messages.Count);
        var baseline = SignatureBaseline.Start("journey:wrong_size:linen-dress", SignatureKind.Sku, "wrong_size", label, now.AddMinutes(-30));
        db.SpikeBaselines.Add(baseline);
        db.SpikeAlerts.Add(SpikeAlert.Raise(baseline.Signature, baseline.Kind, baseline.Concern, label, now.AddMinutes(-30), messages[^1], now,
            expected: 0.2, level: messages.Count, messages, messages.Count, now));
        await db.SaveChangesAsync(Ct);
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
        await page.Locator(".mc-inbox[data-interactive='true']").WaitForAsync(new() { Timeout = 10000 });
    }

    /// <summary>Root cause, an action with evidence, the lesson, and the lesson read in the daily briefing.</summary>
    private static async Task FixAndCloseWithLessonAsync(IPage page, ILocator status)
    {
        // Root cause, then an action.
        await page.GetByLabel("Why 1").FillAsync("The parcel held size L instead of M");
        await page.GetByLabel("Why 2").FillAsync("Two bins shared one hand-written label");
        await page.GetByLabel("Cause category").SelectOptionAsync("process");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save root cause" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Root cause saved.")).ToBeVisibleAsync();
        await Assertions.Expect(status).ToContainTextAsync("investigating");

        await page.GetByLabel("Action description").FillAsync("Give each bin its own scanned label");
        await page.GetByLabel("Owner department").SelectOptionAsync("warehouse");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add action" }).ClickAsync();
        await Assertions.Expect(status).ToContainTextAsync("actions");

        await page.GetByLabel("Evidence for \"Give each bin its own scanned label\"").FillAsync("Photo of the relabelled bins");
        await page.GetByRole(AriaRole.Button, new() { Name = "Complete action" }).ClickAsync();
        await Assertions.Expect(status).ToContainTextAsync("verifying");

        // Close with the lesson.
        await page.GetByLabel("What happened").FillAsync("Customers got the wrong size of the linen dress");
        await page.GetByLabel("Why it happened").FillAsync("Two bins shared one hand-written label");
        await page.GetByLabel("What we do differently").FillAsync("Every bin has its own scanned label");
        await page.GetByRole(AriaRole.Button, new() { Name = "Close with lesson" }).ClickAsync();
        await Assertions.Expect(status).ToContainTextAsync("closed");

        // The lesson is in the daily briefing.
        await page.GetByRole(AriaRole.Link, new() { Name = "Daily briefing" }).ClickAsync();
        var lessons = page.GetByRole(AriaRole.List, new() { Name = "New lessons" });
        await Assertions.Expect(lessons).ToContainTextAsync("Every bin has its own scanned label");
        await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "The case" })).ToContainTextAsync("I ordered the linen dress in M and got an L");
        await page.GetByRole(AriaRole.Button, new() { Name = "I have read this lesson" }).ClickAsync();
        await Assertions.Expect(page.GetByText("You have read this lesson.")).ToBeVisibleAsync();
    }
}
