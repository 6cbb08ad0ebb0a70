using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MemberCare.Domain;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MemberCare.BrowserTests;

/// <summary>The chat widget as a site owner uses it: one script tag on a shop page served from another origin.</summary>
public sealed class ChatWidgetJourneyTests
{
    private const string SiteKey = "shop-site-key-2026";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_shoppers_message_from_another_origin_reaches_the_inbox_the_agents_reply_shows_in_the_widget_and_bots_and_floods_are_held_off()
    {
        BrowserApp? app = null;
        await using var shop = new ShopSite(() => $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Linen & Co</title></head>
            <body><h1>Linen & Co</h1><p>Shirts, dresses and trousers in linen.</p>
            <script src="{{app!.BaseUrl}}/widget.js" data-key="{{SiteKey}}" data-title="Chat with us" defer></script>
            </body></html>
            """);
        await using var started = new BrowserApp(new Dictionary<string, string?>
        {
            ["Chat:SiteKey"] = SiteKey,
            ["Chat:AllowedOrigins:0"] = shop.Origin,
            ["Chat:PermitsPerMinute"] = "8",
        });
        app = started;
        app.Start();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var shopper = await browser.NewPageAsync();
        var errors = new List<string>();
        shopper.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.Contains("429", StringComparison.Ordinal))
            {
                errors.Add($"{message.Text} ({message.Location})");
            }
        };
        var shots = new Screenshots(shopper, "chat-widget");

        // The shopper opens the chat on the shop's page and writes.
        await shopper.GotoAsync(shop.Origin + "/");
        var dialog = await OpenChatAsync(shopper);
        await dialog.GetByLabel("Name (optional)").FillAsync("Kari Nordmann");
        await dialog.GetByLabel("Message", new() { Exact = true }).FillAsync("Hei! Does the linen shirt come in XL?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        var log = dialog.GetByRole(AriaRole.Log, new() { Name = "Conversation" });
        await Assertions.Expect(log).ToContainTextAsync("You: Hei! Does the linen shirt come in XL?");
        await shots.TakeAsync("sent");

        // It is in the inbox as a chat; an agent answers through the API, and the open widget shows the answer.
        using var api = app.CreateApiClient();
        var conversations = await api.GetFromJsonAsync<JsonObject>("/api/v1/conversations?channel=chat", Ct);
        var conversation = Assert.Single(conversations!["items"]!.AsArray())!;
        Assert.Equal("Kari Nordmann", conversation["customerName"]!.GetValue<string>());
        using (var reply = await api.PostAsJsonAsync($"/api/v1/conversations/{conversation["id"]!.GetValue<long>()}/replies",
            new { text = "Yes, XL is in stock. Shall I reserve one?", author = "Ola" }, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, reply.StatusCode);
        }
        await Assertions.Expect(log).ToContainTextAsync("Ola: Yes, XL is in stock. Shall I reserve one?", new() { Timeout = 10_000 });
        await shots.TakeAsync("agent-reply");
        Assert.Empty(errors);

        // A bot fills every field, the hidden one too: it is answered as if accepted, and nothing is stored.
        var bot = await browser.NewPageAsync();
        await bot.GotoAsync(shop.Origin + "/");
        var botDialog = await OpenChatAsync(bot);
        await botDialog.GetByLabel("Message", new() { Exact = true }).FillAsync("Cheap watches at spam.example");
        await bot.Locator("#mc-website").FillAsync("https://spam.example", new() { Force = true });
        var botPost = await bot.RunAndWaitForResponseAsync(
            () => botDialog.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.EndsWith("/messages", StringComparison.Ordinal));
        Assert.Equal(202, botPost.Status);
        Assert.Equal(1, await ChatMessagesAsync(app));

        // A flood from one address: past Chat:PermitsPerMinute the API answers 429 and the widget says why.
        var alert = dialog.GetByRole(AriaRole.Alert);
        var statuses = new List<int>();
        for (var i = 0; i < 10 && statuses.LastOrDefault() != 429; i++)
        {
            await dialog.GetByLabel("Message", new() { Exact = true }).FillAsync($"Hello? ({i})");
            var post = await shopper.RunAndWaitForResponseAsync(
                () => dialog.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync(),
                r => r.Request.Method == "POST" && r.Url.EndsWith("/messages", StringComparison.Ordinal));
            statuses.Add(post.Status);
            await Assertions.Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Send" })).ToBeEnabledAsync();
        }
        TestContext.Current.SendDiagnosticMessage("Flood statuses: " + string.Join(", ", statuses));
        Assert.Equal(429, statuses[^1]);
        Assert.All(statuses[..^1], s => Assert.Equal(201, s));
        await Assertions.Expect(alert).ToContainTextAsync("Too many messages");
        await shots.TakeAsync("rate-limited");
        Assert.Equal(1 + statuses.Count(s => s == 201), await ChatMessagesAsync(app));
    }

    private static async Task<ILocator> OpenChatAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Chat with us" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Chat with us" });
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        return dialog;
    }

    private static async Task<int> ChatMessagesAsync(BrowserApp app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<MemberCareDb>>().CreateDbContextAsync(Ct);
        return await db.Messages.CountAsync(m => m.Channel == Channel.Chat && m.Direction == MemberCare.Domain.Conversations.MessageDirection.Inbound, Ct);
    }
}
