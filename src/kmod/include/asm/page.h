#include <linux/limits.h>
