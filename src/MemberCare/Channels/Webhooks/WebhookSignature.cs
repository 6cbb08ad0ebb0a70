using System.Security.Cryptography;
using System.Text;

namespace MemberCare.Channels.Webhooks;

/// <summary>HMAC-SHA256 signatures as the platforms send them: hex (Meta) or base64 (X, Shopify), compared in constant time.</summary>
public static class WebhookSignature
{
    public static byte[] Compute(string secret, ReadOnlySpan<byte> body) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);

    public static string HexOf(string secret, ReadOnlySpan<byte> body) => Convert.ToHexStringLower(Compute(secret, body));

    public static string Base64Of(string secret, ReadOnlySpan<byte> body) => Convert.ToBase64String(Compute(secret, body));

    /// <summary>Checks a signature given as hex or base64 text (after any prefix) against the body; malformed text is simply wrong.</summary>
    public static bool Matches(string secret, ReadOnlySpan<byte> body, string? signature, SignatureEncoding encoding)
    {
        if (string.IsNullOrEmpty(signature) || signature.Length > 256)
        {
            return false;
        }
        var given = new byte[HMACSHA256.HashSizeInBytes];
        int written;
        if (encoding == SignatureEncoding.Hex)
        {
            if (signature.Length != 2 * HMACSHA256.HashSizeInBytes
                || Convert.FromHexString(signature, given, out _, out written) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }
        }
        else if (!Convert.TryFromBase64String(signature, given, out written))
        {
            return false;
        }
        return written == HMACSHA256.HashSizeInBytes && CryptographicOperations.FixedTimeEquals(given, Compute(secret, body));
    }

    /// <summary>Strips a scheme prefix such as "sha256="; a header without it does not carry a signature we accept.</summary>
    public static string? AfterPrefix(string? header, string prefix) =>
        header is not null && header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? header[prefix.Length..] : null;

    public static bool SecretsEqual(string expected, string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));
}

public enum SignatureEncoding
{
    Hex,
    Base64,
}
