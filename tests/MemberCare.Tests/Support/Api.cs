using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MemberCare.Features.Intake;

namespace MemberCare.Tests.Support;

/// <summary>What the tests send to the API and how they read its answers.</summary>
public static class Api
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>A name no other test uses, so that tests sharing a database never see each other's rows.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    public static JsonObject Message(string externalId, string text = "Hei! Jeg fikk feil størrelse på kjolen.", string channel = "chat",
        string? handle = null, string? email = null, string? name = "Nora Berg", string? orderNumber = null)
    {
        var customer = new JsonObject { ["name"] = name };
        if (email is not null)
        {
            customer["email"] = email;
        }
        if (handle is not null)
        {
            customer["handle"] = handle;
        }
        var message = new JsonObject
        {
            ["channel"] = channel,
            ["externalId"] = externalId,
            ["customer"] = customer,
            ["text"] = text,
        };
        if (orderNumber is not null)
        {
            message["orderNumber"] = orderNumber;
        }
        return message;
    }

    public static Task<HttpResponseMessage> PostMessageAsync(this HttpClient client, JsonNode message) =>
        client.PostAsync("/api/v1/messages", JsonBody(message.ToJsonString()), TestContext.Current.CancellationToken);

    public static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Posts a message that must be accepted, and returns the ids the API answered with.</summary>
    public static async Task<PostMessageResponse> PostNewMessageAsync(this HttpClient client, JsonNode message)
    {
        using var response = await client.PostMessageAsync(message);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        return await ReadAsync<PostMessageResponse>(response);
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        var value = await response.Content.ReadFromJsonAsync<T>(Json, TestContext.Current.CancellationToken);
        Assert.NotNull(value);
        return value;
    }

    public static async Task<T> GetOkAsync<T>(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: expected 200, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        return await ReadAsync<T>(response);
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsync(url, JsonBody(JsonSerializer.Serialize(body, Json)), TestContext.Current.CancellationToken);
}

/// <summary>An RFC 9457 problem as the API answers it, with the per-field reasons of a validation problem.</summary>
public sealed record Problem(int Status, string Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors, string? Field, string ContentType)
{
    public static async Task<Problem> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var contentType = response.Content.Headers.ContentType?.MediaType ?? "";
        Assert.True(contentType == "application/problem+json", $"Expected problem details, got '{contentType}': {body}");
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var errors = new Dictionary<string, string[]>();
        if (root.TryGetProperty("errors", out var fields))
        {
            foreach (var field in fields.EnumerateObject())
            {
                errors[field.Name] = [.. field.Value.EnumerateArray().Select(r => r.GetString() ?? "")];
            }
        }
        return new Problem(
            root.GetProperty("status").GetInt32(),
            root.GetProperty("title").GetString() ?? "",
            root.TryGetProperty("detail", out var detail) ? detail.GetString() : null,
            errors,
            root.TryGetProperty("field", out var name) ? name.GetString() : null,
            contentType);
    }
}
