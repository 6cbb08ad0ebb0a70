using Microsoft.Playwright;

namespace MemberCare.BrowserTests;

/// <summary>Numbered full-page screenshots of one journey, kept under TestResults/screenshots.</summary>
internal sealed class Screenshots(IPage page, string journey)
{
    private int _step;

    public async Task TakeAsync(string name) => await page.ScreenshotAsync(new PageScreenshotOptions
    {
        Path = Path.Combine(Chromium.ScreenshotFolder(), $"{journey}-{++_step:00}-{name}.png"),
        FullPage = true,
    });
}
