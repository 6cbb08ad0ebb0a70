using MemberCare.Channels;
using MemberCare.Features.Bench;
using MemberCare.Features.Conversations;
using MemberCare.Features.Defects;
using MemberCare.Features.Delivery;
using MemberCare.Features.Demo;
using MemberCare.Features.Departments;
using MemberCare.Features.Health;
using MemberCare.Features.Inbox;
using MemberCare.Features.Intake;
using MemberCare.Features.Search;
using MemberCare.Features.Spikes;
using MemberCare.Features.Staff;
using MemberCare.Features.Triage;
using MemberCare.Features.Workspace;
using MudBlazor.Services;
using Scalar.AspNetCore;

namespace MemberCare.Hosting;

/// <summary>The application's composition: what Program.cs, the admin verbs and the tests all build.</summary>
public static class MemberCareApp
{
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddMemberCareDatabase();
        builder.Services.AddMemberCareErrorHandling();
        builder.Services.AddMemberCareApiKeys();
        builder.Services.AddOpenApi();
        // Registered first: hosted services start in order, and all of them before the server listens.
        builder.Services.AddHostedService<DatabasePreparation>();
        // After the preparation, which migrates (and turns on WAL) before the checkpointer's first tick.
        builder.Services.AddHostedService<SqliteCheckpointer>();

        builder.Services.AddMemberCareTriage();
        builder.Services.AddDepartmentsAndRouting();
        builder.Services.AddOptions<IntakeOptions>().BindConfiguration("Intake").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IntakeStages>();
        builder.Services.AddSingleton<IntakeWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IntakeWriter>());
        builder.Services.AddSingleton<ConversationDesk>();
        builder.Services.AddOptions<DemoOptions>().BindConfiguration("Demo");
        builder.Services.AddSingleton<DemoStore>();
        builder.Services.AddSingleton<DemoStaff>();
        builder.Services.AddSingleton<Features.Import.ShopImport>();
        builder.Services.AddChannels();
        builder.Services.AddDelivery();

        builder.Services.AddMemberCareStaff();
        builder.Services.AddHostedService<StaffPreparation>();
        builder.Services.AddWorkspaceFeed();
        builder.Services.AddMessageSearch();
        builder.Services.AddSingleton<MacroLibrary>();
        builder.Services.AddSingleton<PresenceBoard>();
        builder.Services.AddHostedService<PresenceSweeper>();
        builder.Services.AddSingleton<Mentions>();
        builder.Services.AddSingleton<InboxQuery>();
        builder.Services.AddSingleton<InboxViews>();
        builder.Services.AddSingleton<CaseFile>();
        builder.Services.AddSpikeDetection();
        builder.Services.AddDefects();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddMudServices();
        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.UseExceptionHandler();
        // The pages' static-file fallback matches every GET path, so routing would answer other methods on an
        // unknown API path with 405; an API path that does not exist is a 404.
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/api")
                && context.GetEndpoint()?.DisplayName?.StartsWith("405 ", StringComparison.Ordinal) == true)
            {
                context.SetEndpoint(null);
            }
            return next(context);
        });
        app.UseStatusCodePages();
        app.UseRequestLocalization();
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UsePasswordChangeGate();
        app.UseAntiforgery();

        app.MapOpenApi("/openapi/{documentName}.json");
        // Not under /api: the reference answers every path below its own, which would shadow the API's 404s and 415s.
        app.MapScalarApiReference("/reference", o => o.WithTitle("MemberCare API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapHealthApi();
        app.MapIntakeApi();
        app.MapConversationsApi();
        app.MapTriageApi();
        app.MapDepartmentsAndRouting();
        app.MapChannels();
        app.MapDeliveryApi();
        app.MapBenchApi(app.Configuration);
        app.MapAccountApi();
        app.MapSpikesApi();
        app.MapDefectsApi();
        // A host built from another entry assembly (a benchmark) has no static-asset manifest and serves no pages.
        if (File.Exists(Path.Combine(AppContext.BaseDirectory, $"{app.Environment.ApplicationName}.staticwebassets.endpoints.json")))
        {
            app.MapStaticAssets();
        }
        app.MapRazorComponents<Components.App>().AddInteractiveServerRenderMode();
        app.MapGet("/", () => Results.Redirect("/inbox")).ExcludeFromDescription();
        return app;
    }
}
