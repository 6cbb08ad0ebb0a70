using System.Net;
using System.Text.Json.Nodes;
using MemberCare.Domain.Customers;
using MemberCare.Tests.Support;

namespace MemberCare.Tests.Defects;

public sealed class DefectsSpec
{
    [Fact]
    public async Task A_mistake_goes_from_a_conversation_to_a_closed_defect_whose_lesson_is_in_the_briefing()
    {
        await using var app = TestApp.Sqlite(DefectData.Quiet);
        await DefectJourney.RunAsync(app);
    }

    [Fact]
    public async Task A_bad_category_and_a_missing_title_are_named_in_a_validation_problem()
    {
        await using var app = TestApp.Sqlite(DefectData.Quiet);
        using var api = app.CreateApiClient();
        using var response = await api.PostJsonAsync("/api/v1/defects", new { title = "", category = "oops", severity = "high" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.Contains("title", problem.Errors.Keys);
        Assert.Contains("pick_or_pack_error", problem.Errors["category"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_defect_or_conversation_answers_404_problem_details()
    {
        await using var app = TestApp.Sqlite(DefectData.Quiet);
        using var api = app.CreateApiClient();
        using var missing = await api.GetAsync("/api/v1/defects/999", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("There is no defect 999.", (await Problem.ReadAsync(missing)).Detail);
        using var noConversation = await api.PostJsonAsync("/api/v1/defects/from-conversation/999", new { category = "service_error" });
        Assert.Equal(HttpStatusCode.NotFound, noConversation.StatusCode);
    }

    [Fact]
    public async Task A_defect_opened_with_links_reports_what_it_could_not_find()
    {
        await using var app = TestApp.Sqlite(DefectData.Quiet);
        var customer = await DefectData.CustomerAsync(app, "Ola Hansen", CustomerTier.Standard, TimeProvider.System.GetUtcNow());
        var (_, number) = await DefectData.OrderAsync(app, customer, TimeProvider.System.GetUtcNow().AddDays(-1));
        using var api = app.CreateApiClient();
        using var response = await api.PostJsonAsync("/api/v1/defects", new
        {
            title = "Seams split on the linen dress",
            category = "product_fault",
            severity = "medium",
            signatureKey = "product_quality|supplier:Linwear",
            orderNumbers = new List<string> { number, "nope-1" },
            skus = new List<string> { "DRS-114" },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await Api.ReadAsync<JsonObject>(response);
        Assert.Equal(1, (int)body["links"]!["ordersAdded"]!);
        Assert.Equal(1, (int)body["links"]!["customersAdded"]!);
        Assert.Equal("order nope-1", (string?)body["links"]!["unknown"]![0]);
        Assert.Equal("product_quality|supplier:linwear", (string?)body["defect"]!["signatureKey"]);
    }
}
