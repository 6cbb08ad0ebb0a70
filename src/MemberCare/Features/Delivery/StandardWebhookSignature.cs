using System.Security.Cryptography;
using System.Text;

namespace MemberCare.Features.Delivery;

/// <summary>The Standard Webhooks signature: v1, and the base64 HMAC-SHA256 of "id.timestamp.body" keyed with the whsec_ secret's bytes.</summary>
public static class StandardWebhookSignature
{
    public static string Sign(string secret, string webhookId, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret["whsec_".Length..] : secret);
        var content = Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }

    /// <summary>True when any of the space-separated signatures in the header is this secret's.</summary>
    public static bool Verify(string secret, string webhookId, long timestamp, string body, string signatureHeader)
    {
        var expected = Encoding.ASCII.GetBytes(Sign(secret, webhookId, timestamp, body));
        return signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), expected));
    }
}
