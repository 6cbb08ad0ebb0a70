using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MemberCare.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ChannelSilence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ChannelSilences",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    SilentSince = table.Column<long>(type: "INTEGER", nullable: false),
                    RaisedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ClearedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChannelSilences", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ChannelSilences_ClearedAt",
                table: "ChannelSilences",
                column: "ClearedAt");

            migrationBuilder.CreateIndex(
                name: "IX_ChannelSilences_Source_SilentSince",
                table: "ChannelSilences",
                columns: new[] { "Source", "SilentSince" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ChannelSilences");
        }
    }
}
