using System.CommandLine;
using MemberCare.Domain.Storage;
using MemberCare.Features.Demo;
using MemberCare.Features.Import;
using MemberCare.Features.Triage.Training;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Hosting;

/// <summary>The one executable's command line: no verb serves the web app; verbs are the admin tasks.</summary>
public static class Verbs
{
    public static async Task<int> RunAsync(string[] args)
    {
        var noDemo = new Option<bool>("--no-demo") { Description = "Do not seed the demo store on first start." };
        var root = new RootCommand("MemberCare: the customer-care hub. Without a verb it serves the web app and the API.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        root.Options.Add(noDemo);
        root.SetAction((parse, ct) => ServeAsync([.. parse.UnmatchedTokens], seedDemo: !parse.GetValue(noDemo), ct));

        var migrate = new Command("migrate", "Create the database or bring it to the newest schema, then exit.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        migrate.SetAction((parse, ct) => WithAppAsync([.. parse.UnmatchedTokens], async (app, token) =>
        {
            await app.Services.GetRequiredService<IDbContextFactory<MemberCareDb>>().MigrateAsync(token);
            await app.Services.GetRequiredService<DemoStore>().EnsureDepartmentsAsync(token);
            Console.WriteLine("The database is at the newest schema.");
            return 0;
        }, ct));
        root.Subcommands.Add(migrate);

        var seedDemo = new Command("seed-demo", "Replace all customers, orders and conversations with the demo store (departments stay).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        seedDemo.SetAction((parse, ct) => WithAppAsync([.. parse.UnmatchedTokens], async (app, token) =>
        {
            await app.Services.GetRequiredService<IDbContextFactory<MemberCareDb>>().MigrateAsync(token);
            var demo = await app.Services.GetRequiredService<DemoStore>().SeedAsync(token);
            Console.WriteLine($"The demo store is ready: {demo.Customers} customers, {demo.Orders} orders, {demo.Conversations} conversations ({demo.Messages} messages), seeded in {demo.Elapsed.TotalSeconds:0.00} s.");
            DemoStaff.Print(await app.Services.GetRequiredService<DemoStaff>().EnsureMembersAsync(token));
            return 0;
        }, ct));
        root.Subcommands.Add(seedDemo);

        var import = new Command("import", "Import shop data from CSV files.");
        foreach (var kind in Enum.GetValues<ImportKind>())
        {
            var file = new Argument<FileInfo>("file") { Description = "The CSV file (UTF-8, header row)." };
            var name = kind.ToString().ToLowerInvariant();
            var command = new Command(name, $"Import {name} from a CSV file and report accepted and rejected rows.") { file };
            command.TreatUnmatchedTokensAsErrors = false;
            command.SetAction((parse, ct) => WithAppAsync([.. parse.UnmatchedTokens], async (app, token) =>
            {
                await app.Services.GetRequiredService<IDbContextFactory<MemberCareDb>>().MigrateAsync(token);
                var path = parse.GetValue(file)!;
                if (!path.Exists)
                {
                    await Console.Error.WriteLineAsync($"No such file: {path.FullName}");
                    return 2;
                }
                await using var stream = path.OpenRead();
                var report = await app.Services.GetRequiredService<ShopImport>().ImportAsync(kind, stream, token);
                report.WriteTo(Console.Out);
                return report.Rejected.Count == 0 ? 0 : 1;
            }, ct));
            import.Subcommands.Add(command);
        }
        root.Subcommands.Add(import);

        var triage = new Command("triage", "Triage JSON lines {\"id\", \"text\"} from standard input: one JSON line out per line in, in order.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        triage.SetAction((parse, ct) => Features.Triage.TriageVerb.RunAsync([.. parse.UnmatchedTokens], ct));
        root.Subcommands.Add(triage);

        foreach (var command in TrainingVerbs.Create())
        {
            root.Subcommands.Add(command);
        }

        return await root.Parse(args).InvokeAsync();
    }

    private static async Task<int> ServeAsync(string[] args, bool seedDemo, CancellationToken ct)
    {
        var app = MemberCareApp.Build(MemberCareApp.CreateBuilder(seedDemo ? args : [.. args, "--Demo:SeedOnFirstStart=false"]));
        await app.StartAsync(ct);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            Console.WriteLine($"MemberCare is listening on {address} (API reference: {address.TrimEnd('/')}/reference)");
        }
        await app.WaitForShutdownAsync(CancellationToken.None);
        return 0;
    }

    private static async Task<int> WithAppAsync(string[] args, Func<WebApplication, CancellationToken, Task<int>> work, CancellationToken ct)
    {
        await using var app = MemberCareApp.Build(MemberCareApp.CreateBuilder(args));
        return await work(app, ct);
    }
}
