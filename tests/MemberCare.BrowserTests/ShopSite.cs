using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MemberCare.BrowserTests;

/// <summary>
/// A site owner's shop on another origin (its own loopback port): one static page with the widget's script tag,
/// served by a tiny HTTP listener and stopped when disposed.
/// </summary>
public sealed class ShopSite : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<string> _page;
    private readonly Task _serving;

    public ShopSite(Func<string> page)
    {
        _page = page;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Origin = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}";
        }
        _listener.Prefixes.Add(Origin + "/");
        _listener.Start();
        _serving = ServeAsync();
    }

    /// <summary>The shop's origin, e.g. http://127.0.0.1:40123: what the care app must allow for CORS.</summary>
    public string Origin { get; }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var found = context.Request.Url?.AbsolutePath == "/";
            var body = Encoding.UTF8.GetBytes(found ? _page() : "Not found");
            context.Response.StatusCode = found ? 200 : 404;
            context.Response.ContentType = found ? "text/html; charset=utf-8" : "text/plain";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
