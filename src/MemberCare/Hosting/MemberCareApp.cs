using MemberCare.Channels;
using MemberCare.Features.Bench;
using MemberCare.Features.Conversations;
using MemberCare.Features.Demo;
using MemberCare.Features.Health;
using MemberCare.Features.Intake;
using MemberCare.Features.Triage;
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

        builder.Services.AddMemberCareTriage();
        builder.Services.AddOptions<IntakeOptions>().BindConfiguration("Intake").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IntakeWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IntakeWriter>());
        builder.Services.AddSingleton<ConversationDesk>();
        builder.Services.AddOptions<DemoOptions>().BindConfiguration("Demo");
        builder.Services.AddSingleton<DemoStore>();
        builder.Services.AddSingleton<Features.Import.ShopImport>();
        builder.Services.AddChannels();
        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/api", o => o.WithTitle("MemberCare API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapHealthApi();
        app.MapIntakeApi();
        app.MapConversationsApi();
        app.MapTriageApi();
        app.MapChannels();
        app.MapBenchApi(app.Configuration);
        app.MapGet("/", () => Results.Redirect("/api")).ExcludeFromDescription();
        return app;
    }
}
