namespace MemberCare.Domain.Workspace;

/// <summary>An inbox view someone saved: a name for a query string of filters and sort.</summary>
public sealed class SavedView
{
    private SavedView()
    {
    }

    public SavedView(string userId, string name, string query, DateTimeOffset at)
    {
        UserId = userId;
        Name = name.Trim();
        Query = query.TrimStart('?');
        CreatedAt = at.ToUniversalTime();
    }

    public long Id { get; private set; }
    public string UserId { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string Query { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
}
