using System.Net;
using System.Text;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Tests.Http;

public sealed class BenchNoopTests
{
    private const string Message =
        """{"channel":"instagram","externalId":"ig-1","customer":{"name":"Kari","handle":"@kari"},"text":"Hvor er pakken min?"}""";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task The_noop_endpoint_is_not_there_unless_configured()
    {
        await using var app = TestApp.Sqlite();

        var response = await app.CreateApiClient().PostAsync("/api/v1/bench/noop", Json(Message), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_noop_endpoint_reads_and_checks_a_message_like_intake_and_stores_nothing()
    {
        await using var app = TestApp.Sqlite(new Dictionary<string, string?> { ["Bench:NoopEndpoint"] = "true" });
        var ct = TestContext.Current.CancellationToken;
        var client = app.CreateApiClient();

        var accepted = await client.PostAsync("/api/v1/bench/noop", Json(Message), ct);
        var invalid = await client.PostAsync("/api/v1/bench/noop", Json("""{"channel":"pigeon"}"""), ct);
        var anonymous = await app.CreateClient().PostAsync("/api/v1/bench/noop", Json(Message), ct);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        await using var db = await app.OpenDbAsync();
        Assert.Equal(0, await db.Messages.CountAsync(ct));
    }
}
