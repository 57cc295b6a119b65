/** JMH benchmarks of the origin agent's cost on loopback connect, accept and close. Not published. */
package io.github.sockleak.benchmarks.origins;
