using System.Globalization;
using System.Text.Json;

namespace MemberCare.Channels.Webhooks;

/// <summary>The payload is signed but not what the platform's format says; the reason names the field.</summary>
public sealed class WebhookPayloadException(string reason) : Exception(reason);

/// <summary>
/// Reads webhook JSON strictly: every accessor checks the token's kind first, so a payload of the wrong shape
/// becomes a <see cref="WebhookPayloadException"/> that names the field, never an unexpected exception.
/// </summary>
public static class WebhookJson
{
    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = 64 };

    public static JsonDocument Parse(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body, s_options);
        }
        catch (JsonException ex)
        {
            var position = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : "";
            throw new WebhookPayloadException($"The body is not valid JSON{position}.");
        }
    }

    public static void RequireObject(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new WebhookPayloadException($"'{path}' must be a JSON object, not {Describe(element)}.");
        }
    }

    public static JsonElement? Property(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value;
    }

    public static JsonElement RequiredObject(JsonElement parent, string name, string path) =>
        OptionalObject(parent, name, path) ?? throw new WebhookPayloadException($"'{path}.{name}' is required.");

    public static JsonElement? OptionalObject(JsonElement parent, string name, string path)
    {
        var value = Property(parent, name);
        if (value is { } v && v.ValueKind != JsonValueKind.Object)
        {
            throw new WebhookPayloadException($"'{path}.{name}' must be a JSON object, not {Describe(v)}.");
        }
        return value;
    }

    public static IReadOnlyList<JsonElement> Array(JsonElement parent, string name, string path, bool required)
    {
        var value = Property(parent, name);
        if (value is null)
        {
            return required ? throw new WebhookPayloadException($"'{path}.{name}' is required.") : [];
        }
        if (value.Value.ValueKind != JsonValueKind.Array)
        {
            throw new WebhookPayloadException($"'{path}.{name}' must be an array, not {Describe(value.Value)}.");
        }
        return [.. value.Value.EnumerateArray()];
    }

    public static string RequiredString(JsonElement parent, string name, string path, int maxLength = 10_000) =>
        OptionalString(parent, name, path, maxLength) ?? throw new WebhookPayloadException($"'{path}.{name}' is required.");

    public static string? OptionalString(JsonElement parent, string name, string path, int maxLength = 10_000)
    {
        var value = Property(parent, name);
        if (value is null)
        {
            return null;
        }
        if (value.Value.ValueKind != JsonValueKind.String)
        {
            throw new WebhookPayloadException($"'{path}.{name}' must be a string, not {Describe(value.Value)}.");
        }
        var text = Str(value.Value, path, name)!;
        if (text.Length > maxLength)
        {
            throw new WebhookPayloadException($"'{path}.{name}' is longer than {maxLength} characters.");
        }
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }

    /// <summary>Free text that may be shortened to fit a column: names, titles.</summary>
    public static string? Text(JsonElement parent, string name, string path, int maxLength)
    {
        var text = OptionalString(parent, name, path, int.MaxValue)?.Trim();
        return text is { Length: > 0 } && text.Length > maxLength ? text[..maxLength] : text;
    }

    /// <summary>
    /// A platform id as text. Meta and X send ids as strings; a bare integer is taken from the number token's own
    /// digits, never through a double, so ids above 2^53 survive.
    /// </summary>
    public static string Id(JsonElement parent, string name, string path) =>
        OptionalId(parent, name, path) ?? throw new WebhookPayloadException($"'{path}.{name}' is required.");

    public static string? OptionalId(JsonElement parent, string name, string path)
    {
        var value = Property(parent, name);
        string? id = value?.ValueKind switch
        {
            null => null,
            JsonValueKind.String => Str(value.Value, path, name),
            JsonValueKind.Number when value.Value.TryGetInt64(out _) => value.Value.GetRawText(),
            _ => throw new WebhookPayloadException($"'{path}.{name}' must be an id (a string), not {Describe(value.Value)}."),
        };
        if (id is null)
        {
            return null;
        }
        id = id.Trim();
        if (id.Length is 0 or > 200)
        {
            throw new WebhookPayloadException($"'{path}.{name}' must be an id of 1 to 200 characters.");
        }
        return id;
    }

    /// <summary>A 64-bit integer read from the JSON number token itself (Shopify ids exceed 2^53).</summary>
    public static long RequiredLong(JsonElement parent, string name, string path) =>
        OptionalInt64(parent, name, path) ?? throw new WebhookPayloadException($"'{path}.{name}' is required.");

    public static long? OptionalInt64(JsonElement parent, string name, string path)
    {
        var value = Property(parent, name);
        if (value is null)
        {
            return null;
        }
        if (value.Value.ValueKind != JsonValueKind.Number || !value.Value.TryGetInt64(out var number))
        {
            throw new WebhookPayloadException($"'{path}.{name}' must be a 64-bit integer, not {Describe(value.Value)}.");
        }
        return number;
    }

    public static int? OptionalInt32(JsonElement parent, string name, string path)
    {
        var value = Property(parent, name);
        if (value is null)
        {
            return null;
        }
        if (value.Value.ValueKind != JsonValueKind.Number || !value.Value.TryGetInt32(out var number))
        {
            throw new WebhookPayloadException($"'{path}.{name}' must be an integer, not {Describe(value.Value)}.");
        }
        return number;
    }

    /// <summary>Money as Shopify sends it: a decimal string ("89.99"); a plain number is accepted too.</summary>
    public static decimal? OptionalMoney(JsonElement parent, string name, string path)
    {
        var value = Property(parent, name);
        decimal amount;
        switch (value?.ValueKind)
        {
            case null:
                return null;
            case JsonValueKind.String when decimal.TryParse(Str(value.Value, path, name), NumberStyles.Number, CultureInfo.InvariantCulture, out amount):
            case JsonValueKind.Number when value.Value.TryGetDecimal(out amount):
                break;
            default:
                throw new WebhookPayloadException($"'{path}.{name}' must be an amount such as \"89.99\", not {Describe(value.Value)}.");
        }
        if (amount is < 0 or > 999_999_999_999m)
        {
            throw new WebhookPayloadException($"'{path}.{name}' must be an amount between 0 and 999999999999.");
        }
        return amount;
    }

    /// <summary>A Unix time in seconds or milliseconds (Meta uses both); the magnitude tells which.</summary>
    public static DateTimeOffset? OptionalUnixTime(JsonElement parent, string name, string path)
    {
        var value = Property(parent, name);
        long number;
        switch (value?.ValueKind)
        {
            case null:
                return null;
            case JsonValueKind.Number when value.Value.TryGetInt64(out number):
            case JsonValueKind.String when long.TryParse(Str(value.Value, path, name), NumberStyles.None, CultureInfo.InvariantCulture, out number):
                break;
            default:
                throw new WebhookPayloadException($"'{path}.{name}' must be a Unix time, not {Describe(value.Value)}.");
        }
        const long maxMilliseconds = 253_402_300_799_999;
        if (number is < 0 or > maxMilliseconds)
        {
            throw new WebhookPayloadException($"'{path}.{name}' is not a plausible Unix time.");
        }
        return number > 100_000_000_000 ? DateTimeOffset.FromUnixTimeMilliseconds(number) : DateTimeOffset.FromUnixTimeSeconds(number);
    }

    public static DateTimeOffset? OptionalIsoTime(JsonElement parent, string name, string path)
    {
        var text = OptionalString(parent, name, path, 64);
        if (text is null)
        {
            return null;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new WebhookPayloadException($"'{path}.{name}' must be an ISO 8601 time, not '{Shorten(text)}'.");
    }

    /// <summary>A JSON string may escape a lone surrogate ("\ud800"), which no .NET string can hold.</summary>
    public static string Str(JsonElement value, string path, string name)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new WebhookPayloadException($"'{path}.{name}' is not valid Unicode text.");
        }
    }

    public static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "the number " + Shorten(element.GetRawText()),
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
