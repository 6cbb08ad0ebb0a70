using System.Net;
using System.Runtime.CompilerServices;
using MemberCare.Tests.Support;

namespace MemberCare.Tests.Hosting;

/// <summary>
/// A stopped application must be collectable: the test suite starts hundreds of them in one process, and each holds a
/// triage model set of tens of megabytes (a timer that outlives the app once kept every one of them, and CI ran out of memory).
/// </summary>
public sealed class AppLifetimeTests
{
    [Fact]
    public async Task A_disposed_application_that_served_rate_limited_requests_is_collected()
    {
        // Microsoft.Data.Sqlite's pool-pruning timer is process-wide and keeps the execution context (and so the
        // application) it was created in: the first application is held for good, so the one watched is the second.
        await StartAndStopAsync();
        var app = await StartAndStopAsync();

        for (var attempt = 0; attempt < 50 && app.IsAlive; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.False(app.IsAlive, "The disposed application is still reachable.");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> StartAndStopAsync()
    {
        var app = TestApp.Sqlite();
        var client = app.CreateClient();
        using (var signIn = await client.PostAsync("/account/signin/submit", new FormUrlEncodedContent([new("userName", "nobody"), new("password", "wrong")]), TestContext.Current.CancellationToken))
        {
            Assert.NotEqual(HttpStatusCode.InternalServerError, signIn.StatusCode);
        }
        using (var chat = await client.GetAsync("/api/v1/chat/unknown-token/messages", TestContext.Current.CancellationToken))
        {
            Assert.NotEqual(HttpStatusCode.InternalServerError, chat.StatusCode);
        }
        client.Dispose();
        await app.DisposeAsync();
        return new WeakReference(app);
    }
}
