using System.Net;
using System.Text;
using MemberCare.Tests.Support;

namespace MemberCare.Tests.Http;

public sealed class ApiReferenceTests
{
    [Fact]
    public async Task The_OpenAPI_document_and_the_browsable_reference_are_served()
    {
        await using var app = TestApp.Sqlite();
        var client = app.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        var document = await client.GetStringAsync("/openapi/v1.json", ct);
        var reference = await client.GetAsync("/reference", ct);

        Assert.Contains("/api/v1/messages", document, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Equal("text/html", reference.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task An_unknown_API_path_answers_404_whatever_the_method(string method)
    {
        await using var app = TestApp.Sqlite();
        using var request = new HttpRequestMessage(new HttpMethod(method), "/api/v1/no-such-thing")
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };

        var response = await app.CreateApiClient().SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
