namespace MemberCare.Domain.Storage;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public static class MigrationAssemblies
{
    public const string Sqlite = "MemberCare.Migrations.Sqlite";
    public const string Postgres = "MemberCare.Migrations.Postgres";
}
