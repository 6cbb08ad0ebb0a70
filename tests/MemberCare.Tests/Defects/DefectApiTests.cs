using System.Net;
using System.Text.Json.Nodes;
using MemberCare.Domain.Customers;
using MemberCare.Domain.Spikes;
using MemberCare.Tests.Support;

namespace MemberCare.Tests.Defects;

/// <summary>Bad input on every defect endpoint, bulk-linking a detected cluster, and correcting a spike's guess.</summary>
public sealed class DefectApiTests
{
    /// <summary>Each bad request, the field its problem details must name, and the status.</summary>
    private static readonly (string Method, string Path, string Body, string Field, int Status)[] s_badRequests =
    [
        ("GET", "/api/v1/defects?status=flying", "", "status", 400),
        ("GET", "/api/v1/defects?category=oops", "", "category", 400),
        ("POST", "/api/v1/defects", """{"title":"x","category":"product_fault","severity":"huge"}""", "severity", 400),
        ("POST", "/api/v1/defects", """{"title":"x","category":"product_fault","severity":"low","ownerId":"nobody"}""", "ownerId", 400),
        ("POST", "/api/v1/defects", $$"""{"title":"x","category":"product_fault","severity":"low","ownerId":"{{new string('u', 65)}}"}""", "ownerId", 400),
        ("POST", "/api/v1/defects", """{"title":"x","category":"product_fault","severity":"low","skus":[""]}""", "skus", 400),
        ("POST", "/api/v1/defects", """{"title":"x","category":"product_fault","severity":"low","conversationIds":"seven"}""", "conversationIds", 400),
        ("POST", "/api/v1/defects", """{"title":"x",""", "", 400),
        ("POST", "/api/v1/defects/from-conversation/{conversation}", """{"category":"late"}""", "category", 400),
        ("POST", "/api/v1/defects/{id}/links", """{"spikeAlertId":0}""", "spikeAlertId", 400),
        ("POST", "/api/v1/defects/{id}/links", $$"""{"search":"{{new string('s', 201)}}"}""", "search", 400),
        ("POST", "/api/v1/defects/{id}/status", """{"status":"done"}""", "status", 400),
        ("POST", "/api/v1/defects/{id}/status", """{"status":"closed"}""", "status", 409),
        ("PUT", "/api/v1/defects/{id}/classification", """{"category":"carrier_damage"}""", "severity", 400),
        ("PUT", "/api/v1/defects/{id}/owner", """{"ownerUserId":"nobody"}""", "ownerUserId", 400),
        ("PUT", "/api/v1/defects/{id}/root-cause", """{"whys":["1","2","3","4","5","6"]}""", "whys", 400),
        ("PUT", "/api/v1/defects/{id}/root-cause", """{"whys":["because"],"causeCategory":"gremlins"}""", "causeCategory", 400),
        ("POST", "/api/v1/defects/{id}/actions", """{"description":"Relabel","ownerUserId":"nobody","dueAt":"2026-03-09T00:00:00Z"}""", "ownerUserId", 400),
        ("POST", "/api/v1/defects/{id}/actions", """{"description":"Relabel","ownerDepartment":"nowhere","dueAt":"2026-03-09T00:00:00Z"}""", "ownerDepartment", 400),
        ("POST", "/api/v1/defects/{id}/actions", """{"description":"Relabel","ownerDepartment":"warehouse"}""", "dueAt", 400),
        ("POST", "/api/v1/defects/{id}/actions", """{"description":"Relabel","ownerDepartment":"warehouse","dueAt":"next week"}""", "dueAt", 400),
        ("POST", "/api/v1/defects/{id}/actions", """{"kind":"magic","description":" ","ownerDepartment":"warehouse","dueAt":"2026-03-09T00:00:00Z"}""", "kind", 400),
        ("POST", "/api/v1/defects/{id}/actions/999/complete", """{"evidence":""}""", "evidence", 400),
        ("POST", "/api/v1/defects/{id}/close", """{"what":"w","why":"y"}""", "change", 400),
        ("PUT", "/api/v1/defects/{id}/recoveries/{customer}", """{"remedy":"refund"}""", "amount", 400),
        ("PUT", "/api/v1/defects/{id}/recoveries/{customer}", """{"remedy":"voucher","amount":-5}""", "amount", 400),
        ("PUT", "/api/v1/defects/{id}/recoveries/{customer}", """{"remedy":"cake","amount":5}""", "remedy", 400),
        ("POST", "/api/v1/defects/{id}/recoveries/{customer}/complete", """{"handlingMinutes":-1}""", "handlingMinutes", 400),
        ("POST", "/api/v1/defects/{id}/lesson/acknowledgements", """{}""", "userId", 400),
        ("GET", "/api/v1/defects/briefing?day=yesterday", "", "day", 400),
        ("GET", "/api/v1/defects/measures?from=soon", "", "from", 400),
        ("GET", "/api/v1/defects/measures?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", "", "to", 400),
    ];

    /// <summary>One app for every case: the machine is small, and each case only reads or is refused.</summary>
    [Fact]
    public async Task Bad_input_answers_problem_details_naming_the_field_never_a_500()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = TestApp.Sqlite(DefectData.Quiet);
        var now = TimeProvider.System.GetUtcNow();
        var customer = await DefectData.CustomerAsync(app, "Kari Nordmann", CustomerTier.Gold, now);
        var (conversation, _) = await DefectData.ComplaintAsync(app, customer, "I got size L, not M", "wrong_or_missing_item", "DRS-114", now);
        using var api = app.CreateApiClient();
        using var opened = await api.PostJsonAsync($"/api/v1/defects/from-conversation/{conversation}", new { category = "pick_or_pack_error" });
        var id = (long)(await Api.ReadAsync<JsonObject>(opened))["id"]!;
        foreach (var (method, path, body, field, status) in s_badRequests)
        {
            var url = path.Replace("{id}", $"{id}", StringComparison.Ordinal).Replace("{customer}", $"{customer}", StringComparison.Ordinal)
                .Replace("{conversation}", $"{conversation}", StringComparison.Ordinal);
            using var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (method != "GET")
            {
                request.Content = Api.JsonBody(body);
            }
            using var response = await api.SendAsync(request, ct);

            Assert.True(status == (int)response.StatusCode, $"{method} {path} {body}: expected {status}, got {(int)response.StatusCode}");
            var problem = await Problem.ReadAsync(response);
            Assert.StartsWith("application/problem+json", problem.ContentType, StringComparison.Ordinal);
            Assert.True(field.Length == 0 || problem.Errors.ContainsKey(field) || problem.Field == field,
                $"{method} {path} {body}: the problem names {string.Join(", ", problem.Errors.Keys)} {problem.Field}, not {field}");
        }
        var still = await api.GetOkAsync<JsonObject>($"/api/v1/defects/{id}");
        Assert.Equal("open", (string?)still["status"]);
        Assert.Empty(still["actions"]!.AsArray());
    }

    [Fact]
    public async Task A_detected_cluster_is_bulk_linked_to_an_existing_defect()
    {
        await using var app = TestApp.Sqlite(DefectData.Quiet);
        var now = TimeProvider.System.GetUtcNow();
        var (customers, alertId) = await SeamSpikeAsync(app, now, withOrders: false, "Kari Nordmann", "Nora Berg", "Ola Hansen");
        using var api = app.CreateApiClient();
        using var opened = await api.PostJsonAsync("/api/v1/defects", new { title = "Seams split", category = "product_fault", severity = "high" });
        var id = (long)(await Api.ReadAsync<JsonObject>(opened))["defect"]!["id"]!;

        using var linked = await api.PostJsonAsync($"/api/v1/defects/{id}/links", new { spikeAlertId = alertId });
        Assert.Equal(HttpStatusCode.OK, linked.StatusCode);
        var result = await Api.ReadAsync<JsonObject>(linked);
        Assert.Equal(3, (int)result["conversationsAdded"]!);
        Assert.Equal(3, (int)result["customersAdded"]!);
        using var unknown = await api.PostJsonAsync($"/api/v1/defects/{id}/links", new { spikeAlertId = alertId + 100 });
        Assert.Equal($"spike alert {alertId + 100}", (string?)(await Api.ReadAsync<JsonObject>(unknown))["unknown"]![0]);

        var defect = await api.GetOkAsync<JsonObject>($"/api/v1/defects/{id}");
        Assert.Equal(customers.Order(), defect["recoveries"]!.AsArray().Select(r => (long)r!["customerId"]!).Order());
    }

    [Fact]
    public async Task Accepting_a_sku_spike_links_the_sku_and_the_lead_can_correct_the_guessed_category()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = TestApp.Sqlite(DefectData.Quiet);
        var now = TimeProvider.System.GetUtcNow();
        var (_, alertId) = await SeamSpikeAsync(app, now, withOrders: true, "Kari Nordmann", "Nora Berg");
        var silent = await DefectData.CustomerAsync(app, "Siri Stille", CustomerTier.Standard, now);
        await DefectData.OrderAsync(app, silent, now.AddDays(-2));
        using var api = app.CreateApiClient();

        using var accepted = await api.PostAsync($"/api/v1/spikes/{alertId}/accept", null, ct);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var id = (long)(await Api.ReadAsync<JsonObject>(accepted))["defectId"]!;
        var defect = await api.GetOkAsync<JsonObject>($"/api/v1/defects/{id}");
        Assert.Contains(defect["links"]!.AsArray(), l => (string?)l!["kind"] == "sku" && (string?)l["key"] == "DRS-114");
        Assert.Equal("product_fault", (string?)defect["category"]);
        var outreach = await api.GetOkAsync<JsonArray>($"/api/v1/defects/{id}/outreach");
        Assert.Equal([silent], outreach.Select(o => (long)o!["customerId"]!));

        using var corrected = await api.PutAsync($"/api/v1/defects/{id}/classification", Api.JsonBody("""{"category":"listing_error","severity":"critical"}"""), ct);
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        var after = await Api.ReadAsync<JsonObject>(corrected);
        Assert.Equal("listing_error", (string?)after["category"]);
        Assert.Equal("critical", (string?)after["severity"]);
        using var missing = await api.PutAsync("/api/v1/defects/99999/classification", Api.JsonBody("""{"category":"listing_error","severity":"low"}"""), ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    /// <summary>
    /// What the detector writes when the seams of DRS-114 spike: a complaint from each customer (who bought the dress when
    /// <paramref name="withOrders"/>), and a proposed alert linking their messages.
    /// </summary>
    private static async Task<(List<long> Customers, long AlertId)> SeamSpikeAsync(TestApp app, DateTimeOffset now, bool withOrders, params string[] names)
    {
        var customers = new List<long>();
        var messages = new List<long>();
        foreach (var name in names)
        {
            var customer = await DefectData.CustomerAsync(app, name, CustomerTier.Standard, now);
            if (withOrders)
            {
                await DefectData.OrderAsync(app, customer, now.AddDays(-3));
            }
            customers.Add(customer);
            messages.Add((await DefectData.ComplaintAsync(app, customer, "Seams split after one wash", "product_quality", "DRS-114", now)).MessageId);
        }
        await using var db = await app.OpenDbAsync();
        var alert = SpikeAlert.Raise("product_quality|sku:DRS-114", SignatureKind.Sku, "product_quality", "product_quality · sku DRS-114",
            now.AddMinutes(-30), messages[^1], now, expected: 0.2, level: messages.Count, messages, messages.Count, now);
        db.SpikeAlerts.Add(alert);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return (customers, alert.Id);
    }
}
