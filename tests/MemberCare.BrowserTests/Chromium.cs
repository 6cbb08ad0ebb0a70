using Microsoft.Playwright;

namespace MemberCare.BrowserTests;

/// <summary>Debian's Chromium, driven by Playwright. Absent, the journeys skip, unless CI requires them.</summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";
    public const string RequireVariable = "MEMBERCARE_REQUIRE_BROWSER";

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        if (!File.Exists(ExecutablePath))
        {
            var reason = $"{ExecutablePath} is not installed (apt-get install -y chromium).";
            if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
            {
                Assert.Fail(reason + $" {RequireVariable}=1 requires the browser journeys.");
            }
            Assert.Skip(reason);
        }
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public static string ScreenshotFolder()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
