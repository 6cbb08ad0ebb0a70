using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace MemberCare.Features.Delivery;

/// <summary>Target secrets at rest as Data Protection ciphertext (the key ring lives in the database), masked for display.</summary>
public sealed class TargetSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("MemberCare.Delivery.TargetSecret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);

    /// <summary>A new Standard Webhooks secret: whsec_ and 32 random bytes in base64.</summary>
    public static string NewWebhookSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The prefix and the last four characters, e.g. <c>whsec_…abcd</c>; never the secret in full.</summary>
    public static string Mask(string secret)
    {
        var prefix = secret.StartsWith("whsec_", StringComparison.Ordinal) ? "whsec_" : "";
        var rest = secret.Length - prefix.Length;
        return rest >= 12 ? $"{prefix}…{secret[^4..]}" : $"{prefix}…";
    }

    public string? MaskProtected(string? protectedSecret)
    {
        if (protectedSecret is null)
        {
            return null;
        }
        try
        {
            return Mask(Unprotect(protectedSecret));
        }
        catch (CryptographicException)
        {
            return "(unreadable: the key that protected it is gone)";
        }
    }
}
