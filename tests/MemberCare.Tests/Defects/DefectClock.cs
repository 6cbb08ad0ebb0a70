using MemberCare.Domain.Storage;
using MemberCare.Features.Defects;
using MemberCare.Features.Search;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MemberCare.Tests.Defects;

/// <summary>
/// The defect services on the test app's real database, driven by a fake clock. Only these see the fake clock: moving
/// the whole app's clock by weeks would fire every periodic timer of the app once per period.
/// </summary>
public sealed class DefectClock(TestApp app, FakeTimeProvider time, DefectOptions? options = null)
{
    private readonly IOptions<DefectOptions> _options = Options.Create(options ?? new DefectOptions());

    public FakeTimeProvider Time => time;

    private IDbContextFactory<MemberCareDb> Db => app.Services.GetRequiredService<IDbContextFactory<MemberCareDb>>();

    public DefectLog Log => new(Db, app.Services.GetRequiredService<IMessageSearch>(), app.Services.GetRequiredService<BlamelessCheck>(), _options, time);

    public DefectSweep Sweep => new(Db, _options, time, NullLogger<DefectSweep>.Instance);

    public DailyBriefing Briefing => new(Db, Log, _options, time);

    public RecoveryReport Recovery => new(Db, _options, time);

    public DefectMeasures Measures => new(Db, Recovery);
}
