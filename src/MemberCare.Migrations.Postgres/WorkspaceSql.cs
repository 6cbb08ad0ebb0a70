using Microsoft.EntityFrameworkCore.Migrations;

namespace MemberCare.Migrations.Postgres;

/// <summary>
/// Full-text search over message text: a generated tsvector ('simple': no stemming, so every language the
/// customers write in is treated alike) with a GIN index. Outside Migrations/ so that regenerating the Workspace
/// migration keeps it; the migration calls Up and Down. The model does not know the column, so EF never writes it.
/// </summary>
public static class WorkspaceSql
{
    public static void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql("""
            ALTER TABLE "Messages" ADD COLUMN "SearchVector" tsvector GENERATED ALWAYS AS (to_tsvector('simple', "Text")) STORED;
            """);
        migrationBuilder.Sql("""CREATE INDEX "IX_Messages_SearchVector" ON "Messages" USING GIN ("SearchVector");""");
    }

    public static void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql("""DROP INDEX IF EXISTS "IX_Messages_SearchVector";""");
        migrationBuilder.Sql("""ALTER TABLE "Messages" DROP COLUMN IF EXISTS "SearchVector";""");
    }
}
