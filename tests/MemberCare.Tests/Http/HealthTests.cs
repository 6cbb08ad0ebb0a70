using System.Net;
using MemberCare.Tests.Support;

namespace MemberCare.Tests.Http;

public sealed class HealthTests
{
    [Fact]
    public async Task Health_answers_200_when_the_database_answers()
    {
        await using var app = TestApp.Sqlite();
        var response = await app.CreateClient().GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Health_answers_503_when_the_database_does_not()
    {
        await using var app = TestApp.Sqlite(new Dictionary<string, string?>
        {
            ["Database:MigrateOnStart"] = "false",
        });
        var response = await app.CreateClient().GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }
}
