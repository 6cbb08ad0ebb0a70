using MemberCare.Domain.Channels;
using MemberCare.Domain.Storage;
using MemberCare.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Channels;

public sealed record ChannelSecretView(string Name, string Source, string? Masked, string? ChangedBy, DateTimeOffset? ChangedAt);

/// <summary>
/// Channel secrets: stored on the admin page as Data Protection ciphertext in the database, with configuration as
/// the fallback. Read through a short cache, because every webhook checks a signature; a change on another node
/// shows here within <see cref="CacheFor"/>.
/// </summary>
public sealed class ChannelSecrets(IDbContextFactory<MemberCareDb> dbFactory, IDataProtectionProvider protection, IConfiguration configuration, TimeProvider time)
{
    public const string MetaAppSecret = "Meta:AppSecret";
    public const string XConsumerSecret = "X:ConsumerSecret";
    public const string ShopifyWebhookSecret = "Shopify:WebhookSecret";
    public const string ImapPassword = "Email:ImapPassword";

    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    /// <summary>Each secret and the configuration key it falls back to.</summary>
    public static IReadOnlyDictionary<string, string> Known { get; } = new Dictionary<string, string>
    {
        [MetaAppSecret] = "Channels:Meta:AppSecret",
        [XConsumerSecret] = "Channels:X:ConsumerSecret",
        [ShopifyWebhookSecret] = "Channels:Shopify:WebhookSecret",
        [ImapPassword] = "Email:Imap:Password",
    };

    private readonly IDataProtector _protector = protection.CreateProtector("MemberCare.ChannelSecrets");
    private readonly Lock _gate = new();
    private (Dictionary<string, string> Values, DateTimeOffset ReadAt)? _cache;

    /// <summary>The stored secret, else the configured one, else null (the channel is off).</summary>
    public async Task<string?> GetAsync(string name, CancellationToken ct)
    {
        var stored = await StoredAsync(ct);
        if (stored.TryGetValue(name, out var value))
        {
            return value;
        }
        var configured = Known.TryGetValue(name, out var key) ? configuration[key] : null;
        return string.IsNullOrEmpty(configured) ? null : configured;
    }

    public async Task SetAsync(string name, string value, string changedBy, CancellationToken ct)
    {
        if (!Known.ContainsKey(name))
        {
            throw new ArgumentException($"'{name}' is not a channel secret.", nameof(name));
        }
        if (string.IsNullOrWhiteSpace(value) || value.Length > 1000)
        {
            throw new ArgumentException("A secret is 1 to 1000 characters.", nameof(value));
        }
        value = value.Trim();
        var cipher = _protector.Protect(value);
        var hint = value.Length >= 12 ? value[^4..] : "";
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ChannelSecrets.FirstOrDefaultAsync(s => s.Name == name, ct);
        if (row is null)
        {
            db.ChannelSecrets.Add(new ChannelSecret(name, cipher, hint, changedBy, time.GetUtcNow()));
        }
        else
        {
            row.Change(cipher, hint, changedBy, time.GetUtcNow());
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw new InvalidOperationException("Another administrator saved this secret at the same moment; reload and try again.", ex);
        }
        Forget();
    }

    public async Task<bool> RemoveAsync(string name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var removed = await db.ChannelSecrets.Where(s => s.Name == name).ExecuteDeleteAsync(ct) > 0;
        Forget();
        return removed;
    }

    /// <summary>What the admin page shows: where each secret comes from, and never more than its last four characters.</summary>
    public async Task<IReadOnlyList<ChannelSecretView>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ChannelSecrets.AsNoTracking().ToDictionaryAsync(s => s.Name, ct);
        return [.. Known.Select(k => rows.TryGetValue(k.Key, out var row)
            ? new ChannelSecretView(k.Key, "database", Mask(row.Hint), row.ChangedBy, row.ChangedAt)
            : !string.IsNullOrEmpty(configuration[k.Value])
                ? new ChannelSecretView(k.Key, "configuration", Mask(configuration[k.Value]!.Length >= 12 ? configuration[k.Value]![^4..] : ""), null, null)
                : new ChannelSecretView(k.Key, "not set", null, null, null))];
    }

    public static string Mask(string hint) => "••••••••" + hint;

    private void Forget()
    {
        lock (_gate)
        {
            _cache = null;
        }
    }

    private async Task<Dictionary<string, string>> StoredAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            if (_cache is { } cached && time.GetUtcNow() - cached.ReadAt < CacheFor)
            {
                return cached.Values;
            }
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ChannelSecrets.AsNoTracking().Select(s => new { s.Name, s.ProtectedValue }).ToListAsync(ct);
        var values = new Dictionary<string, string>();
        foreach (var row in rows)
        {
            try
            {
                values[row.Name] = _protector.Unprotect(row.ProtectedValue);
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                // A key ring that lost the key: the configured secret (if any) applies until an admin stores it again.
            }
        }
        lock (_gate)
        {
            _cache = (values, time.GetUtcNow());
        }
        return values;
    }
}
