using Microsoft.EntityFrameworkCore.Migrations;

namespace MemberCare.Migrations.Sqlite;

/// <summary>
/// Full-text search over message text: an FTS5 index kept by triggers. Outside Migrations/ so that regenerating
/// the Workspace migration keeps it; the migration calls Up and Down.
/// </summary>
public static class WorkspaceSql
{
    public static void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql("""
            CREATE VIRTUAL TABLE "MessageSearch" USING fts5("Text", content='Messages', content_rowid='Id', tokenize='unicode61 remove_diacritics 2');
            """);
        migrationBuilder.Sql("""INSERT INTO "MessageSearch"(rowid, "Text") SELECT "Id", "Text" FROM "Messages";""");
        migrationBuilder.Sql("""
            CREATE TRIGGER "Messages_search_insert" AFTER INSERT ON "Messages" BEGIN
                INSERT INTO "MessageSearch"(rowid, "Text") VALUES (new."Id", new."Text");
            END;
            """);
        migrationBuilder.Sql("""
            CREATE TRIGGER "Messages_search_delete" AFTER DELETE ON "Messages" BEGIN
                INSERT INTO "MessageSearch"("MessageSearch", rowid, "Text") VALUES ('delete', old."Id", old."Text");
            END;
            """);
        migrationBuilder.Sql("""
            CREATE TRIGGER "Messages_search_update" AFTER UPDATE OF "Text" ON "Messages" BEGIN
                INSERT INTO "MessageSearch"("MessageSearch", rowid, "Text") VALUES ('delete', old."Id", old."Text");
                INSERT INTO "MessageSearch"(rowid, "Text") VALUES (new."Id", new."Text");
            END;
            """);
    }

    public static void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "Messages_search_update";""");
        migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "Messages_search_delete";""");
        migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "Messages_search_insert";""");
        migrationBuilder.Sql("""DROP TABLE IF EXISTS "MessageSearch";""");
    }
}
