using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MemberCare.Migrations.Postgres.Migrations
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Source = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    SilentSince = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RaisedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ClearedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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
