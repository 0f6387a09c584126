#include <linux/unistd.h>
