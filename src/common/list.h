/* SPDX-License-Identifier: MIT */
#pragma once

/* Intrusive doubly-linked lists: the item carries its own links, so adding
 * and removing never allocates and removal is O(1). */
#define LIST_FIELDS(t, name) t *name##_next, *name##_prev

#define LIST_PREPEND(name, head, item)                          \
        do {                                                    \
                __typeof__(item) _i_ = (item);                  \
                _i_->name##_prev = NULL;                        \
                _i_->name##_next = (head);                      \
                if (head)                                       \
                        (head)->name##_prev = _i_;              \
                (head) = _i_;                                   \
        } while (0)

#define LIST_REMOVE(name, head, item)                                   \
        do {                                                            \
                __typeof__(item) _i_ = (item);                          \
                if (_i_->name##_next)                                   \
                        _i_->name##_next->name##_prev = _i_->name##_prev; \
                if (_i_->name##_prev)                                   \
                        _i_->name##_prev->name##_next = _i_->name##_next; \
                else                                                    \
                        (head) = _i_->name##_next;                      \
                _i_->name##_next = _i_->name##_prev = NULL;             \
        } while (0)

#define LIST_FOREACH_SAFE(name, i, n, head) \
        for ((i) = (head); (i) && (((n) = (i)->name##_next), 1); (i) = (n))
