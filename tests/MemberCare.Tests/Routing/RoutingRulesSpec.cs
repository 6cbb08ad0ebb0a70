using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Routing;
using MemberCare.Features.Routing;
using MemberCare.Tests.Support;
using MemberCare.Tests.Triage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MemberCare.Tests.Routing;

public sealed class RoutingRulesSpec
{
    private static readonly string[] s_unknownConcern = ["alien_abduction"];

    private static object WrongItemToWarehouse(int position = 1) => new
    {
        name = "Wrong items to the warehouse, urgently",
        position,
        conditions = new[] { new { field = "concern", op = "is", values = new[] { "wrong_or_missing_item" } } },
        actions = new[]
        {
            new { type = "handoff", value = "warehouse" },
            new { type = "tag", value = "wrong_item" },
            new { type = "team", value = "member_care" },
            new { type = "priority", value = "urgent" },
        },
    };

    [Fact]
    public async Task A_new_store_starts_with_a_rule_per_concern_to_its_department()
    {
        // The product's default, which the test host turns off for tests that are not about routing.
        await using var app = TestApp.Sqlite(new Dictionary<string, string?> { ["Routing:DefaultHandoffRulesEnabled"] = "true" });
        var rules = await app.CreateApiClient().GetFromJsonAsync<JsonElement>("/api/v1/routing/rules", TestContext.Current.CancellationToken);

        Assert.Equal(16, rules.GetArrayLength());
        var wrongItem = rules.EnumerateArray().Single(r => r.GetProperty("conditions")[0].GetProperty("values")[0].GetString() == "wrong_or_missing_item");
        Assert.Contains(wrongItem.GetProperty("actions").EnumerateArray(), a => a.GetProperty("type").GetString() == "handoff" && a.GetProperty("value").GetString() == "warehouse");
        Assert.True(wrongItem.GetProperty("enabled").GetBoolean());
        Assert.All(rules.EnumerateArray(), r => Assert.True(r.GetProperty("enabled").GetBoolean()));
        var praise = rules.EnumerateArray().Single(r => r.GetProperty("conditions")[0].GetProperty("values")[0].GetString() == "praise");
        Assert.DoesNotContain(praise.GetProperty("actions").EnumerateArray(), a => a.GetProperty("type").GetString() == "handoff");
    }

    [Fact]
    public async Task A_store_that_asks_for_it_starts_with_its_hand_off_rules_switched_off_and_care_rules_on()
    {
        await using var app = TestApp.Sqlite(new Dictionary<string, string?> { ["Routing:DefaultHandoffRulesEnabled"] = "false" });
        var rules = await app.CreateApiClient().GetFromJsonAsync<JsonElement>("/api/v1/routing/rules", TestContext.Current.CancellationToken);

        Assert.Equal(16, rules.GetArrayLength());
        foreach (var rule in rules.EnumerateArray())
        {
            var handsOff = rule.GetProperty("actions").EnumerateArray().Any(a => a.GetProperty("type").GetString() == "handoff");
            Assert.Equal(!handsOff, rule.GetProperty("enabled").GetBoolean());
        }
    }

    [Fact]
    public async Task A_rule_with_an_unknown_concern_and_department_is_refused_naming_both_fields()
    {
        await using var app = TestApp.Sqlite();
        using var response = await app.CreateApiClient().PostAsJsonAsync("/api/v1/routing/rules", new
        {
            name = "Broken",
            conditions = new[] { new { field = "concern", op = "is", values = s_unknownConcern } },
            actions = new[] { new { type = "handoff", value = "astrology" } },
        }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.Contains("conditions[0].values", problem.Errors.Keys);
        Assert.Contains("actions[0].value", problem.Errors.Keys);
    }

    [Fact]
    public async Task A_preview_shows_which_recent_conversations_a_rule_would_match_and_saves_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = TestApp.Sqlite();
        var api = await HandoffScenario.ApiWithoutRulesAsync(app);
        var wrongItem = await LabelledConversationAsync(app, api, "I got the wrong colour", "wrong_or_missing_item");
        var sizing = await LabelledConversationAsync(app, api, "It runs small", "sizing_fit");

        using var response = await api.PostAsJsonAsync("/api/v1/routing/preview", new { rule = WrongItemToWarehouse(), last = 50 }, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(2, preview.GetProperty("checked").GetInt32());
        var matched = preview.GetProperty("conversations").EnumerateArray().Select(c => c.GetProperty("conversationId").GetInt64()).ToList();
        Assert.Contains(wrongItem, matched);
        Assert.DoesNotContain(sizing, matched);
        Assert.Equal(0, (await api.GetFromJsonAsync<JsonElement>("/api/v1/routing/rules", ct)).GetArrayLength());
        await using var db = await app.OpenDbAsync();
        Assert.Equal(0, await db.Handoffs.CountAsync(ct));
    }

    [Fact]
    public async Task A_rule_changed_by_another_node_is_picked_up_when_the_version_changes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = TestApp.Sqlite();
        app.CreateClient();
        var book = app.Services.GetRequiredService<RuleBook>();
        var loaded = book.Current.Version;

        await using (var db = await app.OpenDbAsync())
        {
            // What another node's edit leaves behind: a new rule and a bumped version.
            db.RoutingRules.Add(new RoutingRule("VIP first", 0, enabled: true, stop: false,
                """[{"field":"tier","op":"is","values":["vip"]}]""", """[{"type":"priority","value":"high"}]""", DateTimeOffset.UnixEpoch));
            await db.SaveChangesAsync(ct);
            await RuleBook.BumpAsync(db, ct);
        }
        Assert.DoesNotContain(book.Current.Rules, r => r.Name == "VIP first");

        Assert.True(await book.RefreshAsync(ct));
        Assert.True(book.Current.Version > loaded);
        Assert.Equal("VIP first", book.Current.Rules[0].Name);
        Assert.False(await book.RefreshAsync(ct));
    }

    [Fact]
    public async Task Rules_run_after_triage_at_intake_and_hand_off_tag_and_raise_priority()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = TriageIntakeTests.AppWithModels(TrainedModels.V1);
        var api = app.CreateApiClient();
        using (var created = await api.PostAsJsonAsync("/api/v1/routing/rules", WrongItemToWarehouse(position: 0), ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var posted = await TriageIntakeTests.PostAsync(api, "m-route-1", "I ordered the linen shirt in white size M (order #10234) and got a navy one in XL instead");
        var conversationId = posted.GetProperty("conversationId").GetInt64();

        await using var db = await app.OpenDbAsync();
        var handoff = await db.Handoffs.SingleAsync(h => h.ConversationId == conversationId, ct);
        Assert.Equal("warehouse", handoff.DepartmentKey);
        Assert.Equal("Routing", handoff.RequestedBy);
        Assert.Equal("M", handoff.Size);
        var conversation = await db.Conversations.SingleAsync(c => c.Id == conversationId, ct);
        Assert.Equal(ConversationStatus.WaitingOnDepartment, conversation.Status);
        Assert.Equal(Priority.Urgent, conversation.Priority);
        var routing = await db.ConversationRoutings.SingleAsync(r => r.ConversationId == conversationId, ct);
        Assert.Equal("member_care", routing.Team);
        Assert.Contains("wrong_item", routing.TagList);
    }

    private static async Task<long> LabelledConversationAsync(TestApp app, HttpClient api, string text, string concern)
    {
        var ct = TestContext.Current.CancellationToken;
        var posted = await api.PostNewMessageAsync(Api.Message(Api.Unique("m"), text, email: Api.Unique("c") + "@example.com"));
        await using var db = await app.OpenDbAsync();
        var conversation = await db.Conversations.Include(c => c.Messages).SingleAsync(c => c.Id == posted.ConversationId, ct);
        var triage = new MessageTriage(concern, 0.95, "negative", "en", "normal", """{"orderNumbers":[],"skus":[],"sizes":[],"colours":[]}""", "warehouse", "test");
        conversation.Messages[0].RecordTriage(triage, DateTimeOffset.UnixEpoch);
        conversation.ApplyTriage(triage, newest: true, DateTimeOffset.UnixEpoch);
        await db.SaveChangesAsync(ct);
        return posted.ConversationId;
    }
}
