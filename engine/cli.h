/* Commands of the themedb binary. Each returns the process exit status: 0 on
 * success, 1 when the work failed, 2 for a usage error. ARGV[0] is the command name. */
#ifndef THEMEDB_CLI_H
#define THEMEDB_CLI_H

int tdb_cmd_build(int argc, char **argv);
int tdb_cmd_summary(int argc, char **argv);
int tdb_cmd_eval(int argc, char **argv);
int tdb_cmd_explain(int argc, char **argv);
int tdb_cmd_version(int argc, char **argv);
int tdb_cmd_check_id(int argc, char **argv);
int tdb_cmd_hash(int argc, char **argv);
int tdb_cmd_address(int argc, char **argv);
int tdb_cmd_report(int argc, char **argv);
int tdb_cmd_export(int argc, char **argv);

#endif
