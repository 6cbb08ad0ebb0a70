using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace MemberCare.Hosting;

/// <summary>A request body that has been read, checked and parsed, or the problem that says why it was refused.</summary>
public readonly record struct JsonBody<T>(T? Value, string Raw, IResult? Problem)
    where T : class
{
    public bool IsValid => Problem is null && Value is not null;
}

/// <summary>
/// Reads JSON bodies by hand rather than through parameter binding, so that every way a body can be wrong
/// (media type, size, encoding, syntax, shape) gets a problem that names it, and the raw text is kept for audit.
/// </summary>
public sealed class JsonBodyReader(IOptions<JsonOptions> json)
{
    public const int DefaultMaxBytes = 1024 * 1024;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public JsonSerializerOptions SerializerOptions => json.Value.SerializerOptions;

    public async Task<JsonBody<T>> ReadAsync<T>(HttpRequest request, CancellationToken ct, int maxBytes = DefaultMaxBytes)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return Refuse<T>(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"The body must be JSON sent as 'Content-Type: application/json', not '{request.ContentType ?? "(none)"}'.");
        }
        if (request.ContentLength > maxBytes)
        {
            return TooLarge<T>(maxBytes);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return TooLarge<T>(maxBytes);
            }
            buffer.Write(chunk, 0, read);
        }
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);

        string raw;
        try
        {
            raw = s_strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            return Refuse<T>(StatusCodes.Status400BadRequest, "Invalid UTF-8",
                $"The body is not valid UTF-8 (invalid byte at offset {ex.Index}).");
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(bytes, json.Value.SerializerOptions);
            return value is null
                ? Refuse<T>(StatusCodes.Status400BadRequest, "Malformed JSON", "The body must be a JSON object, not null.")
                : new JsonBody<T>(value, raw, null);
        }
        catch (JsonException ex)
        {
            var where = ex.Path is { Length: > 1 } path ? $" at '{path}'" : "";
            var position = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : "";
            return new JsonBody<T>(null, raw, TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Malformed JSON",
                detail: $"The body is not valid JSON for this request{where}{position}: {FirstSentence(ex.Message)}",
                extensions: new Dictionary<string, object?> { ["field"] = ex.Path?.TrimStart('$', '.') }));
        }
    }

    private static JsonBody<T> TooLarge<T>(int maxBytes)
        where T : class =>
        Refuse<T>(StatusCodes.Status413PayloadTooLarge, "Body too large", $"The body may be at most {maxBytes} bytes.");

    private static JsonBody<T> Refuse<T>(int status, string title, string detail)
        where T : class =>
        new(null, "", TypedResults.Problem(statusCode: status, title: title, detail: detail));

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}

/// <summary>Field errors collected while checking a request, keyed by the JSON name of the field.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool Any => _errors.Count > 0;

    public IEnumerable<string> Fields => _errors.Keys;

    public void Add(string field, string reason)
    {
        if (!_errors.TryGetValue(field, out var reasons))
        {
            reasons = [];
            _errors[field] = reasons;
        }
        reasons.Add(reason);
    }

    public void RequireText(string field, string? value, int maxUtf8Bytes)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "is required.");
        }
        else if (Encoding.UTF8.GetByteCount(value) > maxUtf8Bytes)
        {
            Add(field, $"is longer than {maxUtf8Bytes} bytes of UTF-8.");
        }
    }

    public void MaxLength(string field, string? value, int max)
    {
        if (value is not null && value.Length > max)
        {
            Add(field, $"is longer than {max} characters.");
        }
    }

    public IDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public ValidationProblem ToProblem() => TypedResults.ValidationProblem(ToDictionary(), title: "The request has invalid fields");
}
