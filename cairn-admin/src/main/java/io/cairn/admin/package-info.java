/** Auto-admin decisions (pure): replica placement across availability zones, leader balancing, and repair of replicas on dead nodes. */
package io.cairn.admin;
