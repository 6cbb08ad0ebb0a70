using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace MemberCare.Features.Delivery;

/// <summary>
/// Keeps outbound requests off the inside network (SSRF): a host's addresses are checked after DNS resolution and the
/// connection goes to the checked address, so neither a redirect nor a DNS answer that changes between the check and
/// the connect reaches loopback, link-local, private, multicast or unspecified addresses. Hosts an administrator
/// allows in <c>Delivery:AllowedHosts</c> are exempt.
/// </summary>
public sealed class OutboundAddressGuard(IOptionsMonitor<DeliveryOptions> options)
{
    public bool IsAllowedHost(string host) =>
        options.CurrentValue.AllowedHosts.Any(h => string.Equals(h.Trim(), host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase));

    /// <summary>Null when the URL may be used, or the reason it may not.</summary>
    public async Task<string?> CheckUrlAsync(string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return "The address must be an absolute http or https URL.";
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "The address must not carry a user name or password.";
        }
        try
        {
            await ResolveAsync(uri.IdnHost, ct);
            return null;
        }
        catch (OutboundAddressRefusedException ex)
        {
            return ex.Message;
        }
        catch (SocketException ex)
        {
            return $"The host '{uri.Host}' does not resolve: {ex.Message}";
        }
    }

    public SocketsHttpHandler CreateHandler() => new()
    {
        UseProxy = false,
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 3,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ConnectCallback = ConnectAsync,
    };

    /// <summary>Every connection, the first and each redirect's, goes through here.</summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var addresses = await ResolveAsync(context.DnsEndPoint.Host, ct);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        var bare = host.Trim('[', ']');
        IPAddress[] addresses = IPAddress.TryParse(bare, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(bare, ct);
        if (IsAllowedHost(bare))
        {
            return addresses;
        }
        var refused = addresses.FirstOrDefault(a => !IsPublic(a));
        if (refused is not null || addresses.Length == 0)
        {
            throw new OutboundAddressRefusedException(
                $"The host '{bare}' resolves to {refused?.ToString() ?? "no address"}, which is not a public address; an administrator may allow the host in Delivery:AllowedHosts.");
        }
        return addresses;
    }

    /// <summary>True for a globally routable unicast address.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return !(b[0] is 0 or 10 or 127 or >= 224
                || (b[0] == 100 && (b[1] & 0xC0) == 64) // carrier-grade NAT
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && (b[1] & 0xF0) == 16)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)
                || (b[0] == 198 && (b[1] & 0xFE) == 18)
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                || (b[0] == 203 && b[1] == 0 && b[2] == 113));
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }
        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal)
        {
            return false;
        }
        // ::/96 holds the unspecified and loopback addresses and the deprecated IPv4-compatible form.
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
        {
            return false;
        }
        // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address that decides.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
        {
            return IsPublic(new IPAddress(b.AsSpan(12, 4)));
        }
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return IsPublic(new IPAddress(b.AsSpan(2, 4)));
        }
        // Teredo (2001::/32) tunnels to anywhere; documentation (2001:db8::/32) is never real.
        return !(b[0] == 0x20 && b[1] == 0x01 && ((b[2] == 0 && b[3] == 0) || (b[2] == 0x0d && b[3] == 0xb8)));
    }
}

public sealed class OutboundAddressRefusedException(string message) : Exception(message);
