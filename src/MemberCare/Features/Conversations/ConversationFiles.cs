using MemberCare.Domain.Conversations;
using MemberCare.Domain.Email;
using MemberCare.Domain.Storage;
using MemberCare.Hosting;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Conversations;

/// <summary>A file a customer sent, listed beside the words it came with.</summary>
public sealed record FileView(long Id, long MessageId, string FileName, string ContentType, long Size);

/// <summary>
/// The files customers sent in a conversation, as the conversation view, the department portal and the department API
/// read them. Only the files of the conversation's inbound messages are reachable: a file id from another
/// conversation answers as if it did not exist.
/// </summary>
public static class ConversationFiles
{
    public static Task<List<FileView>> ListAsync(MemberCareDb db, long conversationId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.EmailAttachments.AsNoTracking()
            .Where(a => db.Messages.Any(m => m.Id == a.MessageId && m.ConversationId == conversationId && m.Direction == MessageDirection.Inbound))
            .OrderBy(a => a.Id)
            .Select(a => new FileView(a.Id, a.MessageId, a.FileName, a.ContentType, a.Size))
            .ToListAsync(ct);
    }

    public static Task<EmailAttachment?> FindAsync(MemberCareDb db, long conversationId, long fileId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.EmailAttachments.AsNoTracking()
            .FirstOrDefaultAsync(a => a.Id == fileId
                && db.Messages.Any(m => m.Id == a.MessageId && m.ConversationId == conversationId && m.Direction == MessageDirection.Inbound), ct);
    }

    /// <summary>
    /// The bytes as a download, typed by what the bytes show. The browser must not guess a type: a customer's file
    /// could be made to look like HTML.
    /// </summary>
    public static IResult Serve(HttpContext context, EmailAttachment file)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(file);
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(file.Content, file.ContentType, file.FileName);
    }

    /// <summary>The agents' download from the conversation view, behind their sign-in.</summary>
    public static IEndpointRouteBuilder MapConversationFiles(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/conversations/{id:long}/files/{fileId:long}", DownloadAsync)
            .RequireAuthorization(Auth.WorkspacePolicy)
            .ExcludeFromDescription();
        return routes;
    }

    public static string Href(long conversationId, long fileId) => $"conversations/{conversationId}/files/{fileId}";

    private static async Task<IResult> DownloadAsync(long id, long fileId, HttpContext context, IDbContextFactory<MemberCareDb> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await FindAsync(db, id, fileId, ct) is { } file
            ? Serve(context, file)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"Conversation {id} has no file {fileId}.");
    }
}
