using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MemberCare.Domain.Staff;
using MemberCare.Domain.Storage;
using MemberCare.Features.Staff;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MemberCare.Hosting;

public sealed class StaffOptions
{
    [Required]
    [RegularExpression("^[a-zA-Z0-9._-]{2,64}$")]
    public string AdminUserName { get; set; } = "admin";

    /// <summary>The first administrator's one-time password; when empty, one is generated and printed once.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>Sign-in attempts one client address may make per minute, before lockout counts a single account.</summary>
    [Range(1, 10_000)]
    public int SignInPermitsPerMinute { get; set; } = 10;
}

/// <summary>
/// Staff sign in with a cookie (ASP.NET Core Identity); machines use API keys. The two never mix: API endpoints
/// name the ApiKey scheme, so a browser cookie does not open the API and an API key does not open the pages.
/// </summary>
public static class Auth
{
    public const string WorkspacePolicy = "workspace";
    public const string AdminPolicy = "admin";
    public const string SignInLimiter = "sign-in";
    public const string SignInPath = "/account/signin";
    public const string MustChangePasswordClaim = "must_change_password";
    public const string DisplayNameClaim = "display_name";
    public const string DepartmentClaim = "department";

    public static IServiceCollection AddMemberCareStaff(this IServiceCollection services)
    {
        services.AddOptions<StaffOptions>().BindConfiguration("Staff").ValidateDataAnnotations().ValidateOnStart();

        // Identity's stores and the data-protection key ring want a scoped context; each request gets its own.
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<MemberCareDb>>().CreateDbContext());

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(o =>
            {
                o.LoginPath = SignInPath;
                o.AccessDeniedPath = "/account/denied";
                o.Cookie.Name = "membercare.staff";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.ExpireTimeSpan = TimeSpan.FromHours(10);
                o.SlidingExpiration = true;
            }));

        services.AddIdentityCore<StaffUser>(o =>
            {
                // Length over composition rules (NIST SP 800-63B): long passphrases, no forced symbols.
                o.Password.RequiredLength = 12;
                o.Password.RequiredUniqueChars = 5;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.User.RequireUniqueEmail = false;
                o.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<MemberCareDb>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<StaffClaimsFactory>()
            .AddDefaultTokenProviders();

        services.AddAuthorizationBuilder()
            .AddPolicy(WorkspacePolicy, p => p
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser()
                .RequireRole(StaffRoles.Inbox))
            .AddPolicy(AdminPolicy, p => p
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser()
                .RequireRole(StaffRoles.Admin));

        // Several nodes must read each other's cookies, so the key ring lives in the shared database.
        services.AddDataProtection().SetApplicationName("MemberCare").PersistKeysToDbContext<MemberCareDb>();
        // The host registers the key ring's preload first of all; it must wait until the migrations have run.
        foreach (var preload in services.Where(d => d.ServiceType == typeof(IHostedService)
            && d.ImplementationType?.Name == "DataProtectionHostedService").ToList())
        {
            services.Remove(preload);
            services.Add(preload);
        }

        services.AddAddressLimit(SignInLimiter, sp => sp.GetRequiredService<IOptions<StaffOptions>>().Value.SignInPermitsPerMinute);

        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.SetDefaultCulture(StaffCultures.English)
                .AddSupportedCultures([.. StaffCultures.Supported])
                .AddSupportedUICultures([.. StaffCultures.Supported]);
            o.RequestCultureProviders = [new CookieRequestCultureProvider()];
        });

        services.AddSingleton<StaffDirectory>();
        return services;
    }

    /// <summary>Someone holding a one-time password may only choose a new one (or sign out) until they have.</summary>
    public static IApplicationBuilder UsePasswordChangeGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        if (context.User.HasClaim(MustChangePasswordClaim, "true")
            && !path.StartsWithSegments("/account")
            && !path.StartsWithSegments("/api")
            && !path.StartsWithSegments("/_framework")
            && !path.StartsWithSegments("/_content")
            && !path.StartsWithSegments("/health")
            && !Path.HasExtension(path.Value))
        {
            context.Response.Redirect("/account/password");
            return;
        }
        await next(context);
    });

    public static string? UserId(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);

    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue(DisplayNameClaim) ?? user.Identity?.Name ?? "";

    public static string? Department(this ClaimsPrincipal user) => user.FindFirstValue(DepartmentClaim);

    public static CookieOptions CultureCookieOptions(TimeProvider time) => new()
    {
        Expires = time.GetUtcNow().AddYears(1),
        IsEssential = true,
        HttpOnly = false,
        SameSite = SameSiteMode.Lax,
    };

    public static void SetCultureCookie(HttpResponse response, string culture, TimeProvider time) =>
        response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(StaffCultures.Normalize(culture))),
            CultureCookieOptions(time));
}

/// <summary>Puts what the pages need on every request into the cookie: display name, department, the password gate.</summary>
public sealed class StaffClaimsFactory(UserManager<StaffUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<StaffUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(StaffUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(Auth.DisplayNameClaim, user.DisplayName));
        if (user.DepartmentKey is { } department)
        {
            identity.AddClaim(new Claim(Auth.DepartmentClaim, department));
        }
        if (user.MustChangePassword)
        {
            identity.AddClaim(new Claim(Auth.MustChangePasswordClaim, "true"));
        }
        return identity;
    }
}
