using MemberCare.Domain.Staff;
using MemberCare.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace MemberCare.Features.Staff;

/// <summary>
/// The form posts behind the account pages. They are plain endpoints rather than interactive components because
/// setting a cookie needs the HTTP response, and so that the sign-in POST can carry its own rate limit.
/// </summary>
public static class AccountApi
{
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/account").ExcludeFromDescription();
        group.MapPost("/signin/submit", SignIn).RequireAddressLimit(Auth.SignInLimiter).AllowAnonymous();
        group.MapPost("/signout", SignOut).RequireAuthorization();
        group.MapPost("/password/submit", ChangePassword).RequireAuthorization();
        group.MapGet("/culture", ChooseCulture).AllowAnonymous();
        return routes;
    }

    private static async Task<RedirectHttpResult> SignIn(
        [FromForm] string? userName,
        [FromForm] string? password,
        [FromForm] string? returnUrl,
        SignInManager<StaffUser> signIn,
        HttpContext context,
        TimeProvider time)
    {
        var back = LocalUrl(returnUrl);
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            return TypedResults.Redirect($"{Auth.SignInPath}?error=missing&returnUrl={Uri.EscapeDataString(back)}");
        }
        var result = await signIn.PasswordSignInAsync(userName.Trim(), password, isPersistent: false, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            return TypedResults.Redirect($"{Auth.SignInPath}?error=locked&returnUrl={Uri.EscapeDataString(back)}");
        }
        if (!result.Succeeded)
        {
            return TypedResults.Redirect($"{Auth.SignInPath}?error=invalid&returnUrl={Uri.EscapeDataString(back)}");
        }
        var user = await signIn.UserManager.FindByNameAsync(userName.Trim());
        if (user is not null)
        {
            Auth.SetCultureCookie(context.Response, user.Culture, time);
            if (user.MustChangePassword)
            {
                return TypedResults.Redirect($"/account/password?returnUrl={Uri.EscapeDataString(back)}");
            }
        }
        return TypedResults.Redirect(back);
    }

    private static async Task<RedirectHttpResult> SignOut(SignInManager<StaffUser> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.Redirect(Auth.SignInPath);
    }

    private static async Task<RedirectHttpResult> ChangePassword(
        [FromForm] string? currentPassword,
        [FromForm] string? newPassword,
        [FromForm] string? confirmPassword,
        [FromForm] string? returnUrl,
        SignInManager<StaffUser> signIn,
        HttpContext context)
    {
        var back = LocalUrl(returnUrl);
        var again = $"/account/password?returnUrl={Uri.EscapeDataString(back)}";
        if (await signIn.UserManager.GetUserAsync(context.User) is not { } user)
        {
            return TypedResults.Redirect(Auth.SignInPath);
        }
        if (string.IsNullOrEmpty(currentPassword) || string.IsNullOrEmpty(newPassword))
        {
            return TypedResults.Redirect(again + "&error=missing");
        }
        if (newPassword != confirmPassword)
        {
            return TypedResults.Redirect(again + "&error=mismatch");
        }
        if (newPassword == currentPassword)
        {
            return TypedResults.Redirect(again + "&error=same");
        }
        var changed = await signIn.UserManager.ChangePasswordAsync(user, currentPassword, newPassword);
        if (!changed.Succeeded)
        {
            var code = changed.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)) ? "current" : "weak";
            return TypedResults.Redirect(again + "&error=" + code);
        }
        user.PasswordChosen();
        await signIn.UserManager.UpdateAsync(user);
        await signIn.RefreshSignInAsync(user);
        return TypedResults.Redirect(back);
    }

    private static async Task<RedirectHttpResult> ChooseCulture(
        string? culture,
        string? returnUrl,
        HttpContext context,
        UserManager<StaffUser> users,
        TimeProvider time)
    {
        var chosen = StaffCultures.Normalize(culture);
        Auth.SetCultureCookie(context.Response, chosen, time);
        if (context.User.Identity?.IsAuthenticated == true && await users.GetUserAsync(context.User) is { } user)
        {
            user.ChooseCulture(chosen);
            await users.UpdateAsync(user);
        }
        return TypedResults.Redirect(LocalUrl(returnUrl));
    }

    /// <summary>Only paths on this site, so a crafted link cannot send someone elsewhere after signing in.</summary>
    public static string LocalUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/inbox";
}
