using System.Net;
using System.Text.Json.Nodes;
using MemberCare.Domain.Customers;
using MemberCare.Tests.Support;

namespace MemberCare.Tests.Defects;

/// <summary>The whole loop over the API, run on SQLite and on PostgreSQL.</summary>
public static class DefectJourney
{
    public static async Task RunAsync(TestApp app)
    {
        var at = TimeProvider.System.GetUtcNow().AddHours(-3);
        var reader = await DefectData.StaffAsync(app, Api.Unique("reader"), "Ingrid Solberg");
        await DefectData.StaffAsync(app, Api.Unique("later"), "Petter Sein");
        var customer = await DefectData.CustomerAsync(app, "Kari Nordmann", CustomerTier.Gold, at);
        var (_, number) = await DefectData.OrderAsync(app, customer, at.AddDays(-2));
        var (conversation, _) = await DefectData.ComplaintAsync(app, customer, "I got size L, not M", "wrong_or_missing_item", "DRS-114", at, number);
        using var api = app.CreateApiClient();

        using var opened = await api.PostJsonAsync($"/api/v1/defects/from-conversation/{conversation}", new { category = "pick_or_pack_error", severity = "high" });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var defect = await Api.ReadAsync<JsonObject>(opened);
        var id = (long)defect["id"]!;
        Assert.Equal("open", (string?)defect["status"]);
        Assert.Equal("wrong_or_missing_item|sku:drs-114", (string?)defect["signatureKey"]);
        var links = defect["links"]!.AsArray().Select(l => (string?)l!["kind"]).ToList();
        Assert.Contains("conversation", links);
        Assert.Contains("order", links);
        Assert.Contains("customer", links);
        Assert.Single(defect["recoveries"]!.AsArray());

        using var cause = await api.PutAsync($"/api/v1/defects/{id}/root-cause", Api.JsonBody(
            """{"whys":["The parcel held size L","Two bins shared one label","Labels are printed by hand"],"causeCategory":"process"}"""),
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, cause.StatusCode);
        var caused = await Api.ReadAsync<JsonObject>(cause);
        Assert.Equal("investigating", (string?)caused["defect"]!["status"]);
        Assert.Empty(caused["warnings"]!.AsArray());

        // A why that names a colleague from the staff directory is saved, with a nudge towards blameless wording.
        using var blaming = await api.PutAsync($"/api/v1/defects/{id}/root-cause", Api.JsonBody(
            """{"whys":["The parcel held size L","Ingrid picked from the wrong bin"],"causeCategory":"people"}"""),
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, blaming.StatusCode);
        var warning = Assert.Single((await Api.ReadAsync<JsonObject>(blaming))["warnings"]!.AsArray());
        Assert.Equal(2, (int)warning!["why"]!);
        Assert.Equal("Ingrid", (string?)warning["name"]);
        using var recause = await api.PutAsync($"/api/v1/defects/{id}/root-cause", Api.JsonBody(
            """{"whys":["The parcel held size L","Two bins shared one label","Labels are printed by hand"],"causeCategory":"process"}"""),
            TestContext.Current.CancellationToken);
        Assert.Empty((await Api.ReadAsync<JsonObject>(recause))["warnings"]!.AsArray());

        using var action = await api.PostJsonAsync($"/api/v1/defects/{id}/actions",
            new { kind = "corrective", description = "Give each bin a scanned label", ownerDepartment = "warehouse", dueAt = at.AddDays(3) });
        Assert.Equal(HttpStatusCode.Created, action.StatusCode);
        var actionId = (long)(await Api.ReadAsync<JsonObject>(action))["actions"]![0]!["id"]!;

        using var early = await api.PostJsonAsync($"/api/v1/defects/{id}/close", new { what = "w", why = "y", change = "c" });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("status", (await Problem.ReadAsync(early)).Errors.Keys);

        using var done = await api.PostJsonAsync($"/api/v1/defects/{id}/actions/{actionId}/complete", new { evidence = "Photo of the relabelled bins" });
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var verifying = await Api.ReadAsync<JsonObject>(done);
        Assert.Equal("verifying", (string?)verifying["status"]);
        Assert.NotNull(verifying["verifyUntil"]);

        using var plan = await api.PutAsync($"/api/v1/defects/{id}/recoveries/{customer}", Api.JsonBody("""{"remedy":"refund","amount":899}"""), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, plan.StatusCode);
        using var recovered = await api.PostJsonAsync($"/api/v1/defects/{id}/recoveries/{customer}/complete", new { handlingMinutes = 15 });
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);

        using var closed = await api.PostJsonAsync($"/api/v1/defects/{id}/close", new
        {
            what = "Customers got the wrong size of the linen dress",
            why = "Two bins shared one hand-written label",
            change = "Every bin has its own scanned label",
        });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal("closed", (string?)(await Api.ReadAsync<JsonObject>(closed))["status"]);

        var ledger = await api.GetOkAsync<JsonObject>("/api/v1/defects/ledger");
        Assert.Equal(899m, (decimal)ledger["total"]!["refunds"]!);
        Assert.Equal(15, (int)ledger["total"]!["handlingMinutes"]!);
        Assert.Equal("process", (string?)ledger["byCauseCategory"]![0]!["key"]);

        var briefing = await api.GetOkAsync<JsonObject>($"/api/v1/defects/briefing?day={TimeProvider.System.GetUtcNow():yyyy-MM-dd}");
        var lesson = Assert.Single(briefing["newLessons"]!.AsArray());
        Assert.Equal("Every bin has its own scanned label", (string?)lesson!["change"]);
        var lines = briefing["caseToLearnFrom"]!["lines"]!.AsArray();
        Assert.Equal("I got size L, not M", (string?)lines[0]!["text"]);

        using var stranger = await api.PostJsonAsync($"/api/v1/defects/{id}/lesson/acknowledgements", new { userId = "someone" });
        Assert.Equal(HttpStatusCode.BadRequest, stranger.StatusCode);
        Assert.Contains("userId", (await Problem.ReadAsync(stranger)).Errors.Keys);
        using var ack = await api.PostJsonAsync($"/api/v1/defects/{id}/lesson/acknowledgements", new { userId = reader });
        Assert.Equal(HttpStatusCode.Created, ack.StatusCode);
        using var again = await api.PostJsonAsync($"/api/v1/defects/{id}/lesson/acknowledgements", new { userId = reader });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        // The lead sees who has read the lesson and who has not.
        var reads = await api.GetOkAsync<JsonArray>("/api/v1/defects/lessons/reads");
        var read = reads.Single(r => (long)r!["defectId"]! == id)!;
        Assert.Equal(["Ingrid Solberg"], read["readBy"]!.AsArray().Select(n => (string)n!).ToArray());
        Assert.Contains("Petter Sein", read["notYet"]!.AsArray().Select(n => (string?)n));
        Assert.Equal([reader], read["readByUserIds"]!.AsArray().Select(n => (string)n!).ToArray());
    }
}
