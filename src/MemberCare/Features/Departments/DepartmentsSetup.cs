using MemberCare.Domain.Staff;
using MemberCare.Features.Routing;
using MemberCare.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace MemberCare.Features.Departments;

public static class DepartmentsSetup
{
    /// <summary>A department member's portal: the cookie of someone who belongs to a department.</summary>
    public const string PortalPolicy = "department-portal";

    public static IServiceCollection AddDepartmentsAndRouting(this IServiceCollection services)
    {
        services.AddOptions<RoutingOptions>().BindConfiguration("Routing").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RuleBook>();
        services.AddSingleton<SlaClock>();
        services.AddSingleton<Handoffs>();
        services.AddSingleton<ConversationRouter>();
        services.AddSingleton<RoutingRules>();
        services.AddSingleton<DepartmentDirectory>();
        services.AddHostedService<RuleBookRefresher>();
        services.AddSingleton<HandoffSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<HandoffSweep>());
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, DepartmentTokenHandler>(DepartmentTokenHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(DepartmentTokenHandler.Policy, p => p
                .AddAuthenticationSchemes(DepartmentTokenHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(Auth.DepartmentClaim))
            .AddPolicy(PortalPolicy, p => p
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser()
                .RequireClaim(Auth.DepartmentClaim)
                .RequireRole(StaffRoles.DepartmentMember, StaffRoles.Lead, StaffRoles.Admin));
        return services;
    }
}
