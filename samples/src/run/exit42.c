/*
 * exit42.c - an exit status other than 0.
 *
 * Shows: the value returned from main() goes to exit(3) and then to
 * exit_group(2); the parent reads it with wait(2) (WEXITSTATUS) and a
 * shell shows it as $?.
 *
 * Expected output:  (none)
 * Exit status:      42
 */
int main(void)
{
    return 42;
}
