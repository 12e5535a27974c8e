#!/usr/bin/env python3
"""Make the import fixtures ONCE with the real libraries (not run by the tests or CI).

    python3 -m venv /work/venv-fixtures
    /work/venv-fixtures/bin/pip install torch==2.15.0 stable-baselines3==2.9.2 rsl-rl-lib==5.5.1
    /work/venv-fixtures/bin/python Tests/PolicyInteropTests/Fixtures/make_fixtures.py

    # rsl_rl <= 3 layout (model_state_dict), from rsl-rl-lib 2.3.3 in a separate folder:
    /work/venv-fixtures/bin/pip install --no-deps --target /work/venv-rsl2 rsl-rl-lib==2.3.3
    PYTHONPATH=/work/venv-rsl2 /work/venv-fixtures/bin/python Tests/PolicyInteropTests/Fixtures/make_fixtures.py rsl_rl_2

Writes, beside this script, real checkpoints saved by Stable-Baselines3 and rsl_rl, and for each
importable one NAME.observations.csv (raw observations, one per row) and NAME.actions.csv (the
library's own deterministic actions for them, float32 printed with 9 significant digits). The
Swift tests import the checkpoint without PyTorch and compare within 1e-5.

Weights are perturbed after construction (orthogonal init puts SB3's last layer at gain 0.01,
which would make every action ~0 and the comparison meaningless); the saving is the library's.
"""
import os
import numpy as np
import torch
import gymnasium as gym
from gymnasium import spaces

HERE = os.path.dirname(os.path.abspath(__file__))
RNG = np.random.default_rng(17)
OBS = 5  # our standard layout: arm angle, arm velocity, sin α, cos α, pendulum velocity


class FurutaLikeEnv(gym.Env):
    """Random observations of the right size; only the spaces matter for the checkpoint."""

    def __init__(self, low=-1.0, high=1.0, obs_shape=(OBS,), dtype=np.float32):
        self.observation_space = spaces.Box(-np.inf if dtype == np.float32 else 0, np.inf if dtype == np.float32 else 255,
                                            obs_shape, dtype)
        self.action_space = spaces.Box(low, high, (1,), np.float32)
        self.rng = np.random.default_rng(0)

    def _obs(self):
        if self.observation_space.dtype == np.uint8:
            return self.rng.integers(0, 255, self.observation_space.shape, dtype=np.uint8)
        return (self.rng.normal(0, 2, self.observation_space.shape) + np.arange(OBS)).astype(np.float32)

    def reset(self, seed=None, options=None):
        super().reset(seed=seed)
        return self._obs(), {}

    def step(self, action):
        return self._obs(), float(-np.sum(np.square(action))), False, False, {}


def perturb(module, scale):
    with torch.no_grad():
        for p in module.parameters():
            p.add_(torch.from_numpy(RNG.normal(0, scale, tuple(p.shape)).astype(np.float32)))


def observations(n=200):
    return (RNG.normal(0, 2, (n, OBS)) + np.arange(OBS)).astype(np.float32)


def record(name, obs, actions):
    np.savetxt(os.path.join(HERE, f"{name}.observations.csv"), obs, delimiter=",", fmt="%.9g")
    np.savetxt(os.path.join(HERE, f"{name}.actions.csv"), np.asarray(actions, dtype=np.float32).reshape(len(obs), -1),
               delimiter=",", fmt="%.9g")


def sb3_fixtures():
    from stable_baselines3 import PPO, SAC
    from stable_baselines3.common.vec_env import DummyVecEnv, VecNormalize

    # PPO, default MlpPolicy (tanh), with VecNormalize statistics gathered over a short rollout.
    venv = VecNormalize(DummyVecEnv([lambda: FurutaLikeEnv()]), norm_obs=True, norm_reward=True, clip_obs=10.0)
    ppo = PPO("MlpPolicy", venv, n_steps=64, batch_size=32, n_epochs=1, seed=1,
              policy_kwargs=dict(net_arch=dict(pi=[16, 16], vf=[16, 16])), device="cpu")
    ppo.learn(total_timesteps=128)
    perturb(ppo.policy.mlp_extractor.policy_net, 0.3)
    perturb(ppo.policy.action_net, 0.5)
    ppo.save(os.path.join(HERE, "sb3_ppo.zip"))
    venv.save(os.path.join(HERE, "sb3_ppo.vecnormalize.pkl"))
    obs = observations()
    obs[:3] *= 40  # some components beyond the normaliser's clip
    actions, _ = ppo.predict(venv.normalize_obs(obs), deterministic=True)
    record("sb3_ppo", obs, actions)

    # SAC, ReLU named explicitly, an action range other than [-1, 1] (tanh squash, then rescaled).
    env = FurutaLikeEnv(low=-0.5, high=1.5)
    sac = SAC("MlpPolicy", env, learning_starts=16, batch_size=16, seed=2, device="cpu",
              policy_kwargs=dict(net_arch=[16, 16], activation_fn=torch.nn.ReLU))
    sac.learn(total_timesteps=48)
    perturb(sac.policy.actor, 0.3)
    sac.save(os.path.join(HERE, "sb3_sac.zip"))
    obs = observations()
    actions, _ = sac.predict(obs, deterministic=True)
    record("sb3_sac", obs, actions)

    # Unsupported: an activation the format does not have, and a CNN policy on images.
    silu = PPO("MlpPolicy", FurutaLikeEnv(), seed=3, device="cpu",
               policy_kwargs=dict(net_arch=[8], activation_fn=torch.nn.SiLU))
    silu.save(os.path.join(HERE, "sb3_ppo_silu.zip"))
    cnn = PPO("CnnPolicy", FurutaLikeEnv(obs_shape=(36, 36, 1), dtype=np.uint8), seed=4, device="cpu", n_steps=64,
              policy_kwargs=dict(features_extractor_kwargs=dict(features_dim=16)))
    cnn.save(os.path.join(HERE, "sb3_ppo_cnn.zip"))


def rsl_rl_fixtures():
    from tensordict import TensorDict
    from rsl_rl.models import MLPModel, RNNModel

    obs_td = TensorDict({"policy": torch.zeros(4, OBS)}, batch_size=[4])
    groups = {"actor": ["policy"], "critic": ["policy"]}
    dist = {"class_name": "GaussianDistribution", "init_std": 1.0}
    torch.manual_seed(5)
    actor = MLPModel(obs_td, groups, "actor", 1, hidden_dims=[16, 16], activation="elu", obs_normalization=True,
                     distribution_cfg=dist)
    critic = MLPModel(obs_td, groups, "critic", 1, hidden_dims=[16, 16], activation="elu")
    actor.train()
    actor.obs_normalizer.update(torch.from_numpy(observations(256)))
    perturb(actor.mlp, 0.3)
    optimizer = torch.optim.Adam(list(actor.parameters()) + list(critic.parameters()), lr=1e-3)
    # What rsl_rl's PPO.save() and OnPolicyRunner.save() write.
    torch.save({"actor_state_dict": actor.state_dict(), "critic_state_dict": critic.state_dict(),
                "optimizer_state_dict": optimizer.state_dict(), "iter": 7, "infos": None},
               os.path.join(HERE, "rsl_rl_mlp.pt"))
    actor.eval()
    obs = observations()
    with torch.no_grad():
        actions = actor(TensorDict({"policy": torch.from_numpy(obs)}, batch_size=[len(obs)])).numpy()
    record("rsl_rl_mlp", obs, actions)

    # Unsupported: a recurrent actor.
    rnn = RNNModel(obs_td, groups, "actor", 1, hidden_dims=[8], activation="elu", rnn_type="lstm",
                   rnn_hidden_dim=8, rnn_num_layers=1, distribution_cfg=dist)
    torch.save({"actor_state_dict": rnn.state_dict(), "critic_state_dict": critic.state_dict(), "iter": 1,
                "infos": None}, os.path.join(HERE, "rsl_rl_lstm.pt"))


def rsl_rl_2_fixture():
    """rsl_rl 2.x: ActorCritic + EmpiricalNormalization, saved as OnPolicyRunner.save does; tanh,
    history 1 (11 inputs)."""
    import rsl_rl
    from rsl_rl.modules import ActorCritic, EmpiricalNormalization
    assert rsl_rl.__file__.startswith("/work/venv-rsl2"), rsl_rl.__file__
    n = OBS + 1 * (OBS + 1)
    torch.manual_seed(6)
    policy = ActorCritic(n, n, 1, actor_hidden_dims=[16, 16], critic_hidden_dims=[16, 16], activation="tanh")
    normalizer = EmpiricalNormalization(shape=[n], until=1.0e8)
    normalizer.train()
    normalizer(torch.from_numpy((RNG.normal(0, 2, (256, n)) + np.arange(n)).astype(np.float32)))
    perturb(policy.actor, 0.3)
    optimizer = torch.optim.Adam(policy.parameters(), lr=1e-3)
    torch.save({"model_state_dict": policy.state_dict(), "optimizer_state_dict": optimizer.state_dict(),
                "iter": 3, "infos": None, "obs_norm_state_dict": normalizer.state_dict(),
                "privileged_obs_norm_state_dict": normalizer.state_dict()}, os.path.join(HERE, "rsl_rl2_mlp.pt"))
    normalizer.eval()
    policy.eval()
    obs = (RNG.normal(0, 2, (200, n)) + np.arange(n)).astype(np.float32)
    with torch.no_grad():
        actions = policy.act_inference(normalizer(torch.from_numpy(obs))).numpy()
    record("rsl_rl2_mlp", obs, actions)


def deflated_copy():
    """sb3_ppo.zip re-packed with deflate (older SB3 versions and hand-made archives deflate)."""
    import zipfile
    with zipfile.ZipFile(os.path.join(HERE, "sb3_ppo.zip")) as src, \
            zipfile.ZipFile(os.path.join(HERE, "sb3_ppo_deflated.zip"), "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))


if __name__ == "__main__":
    import sys
    if sys.argv[1:] == ["rsl_rl_2"]:
        rsl_rl_2_fixture()
        sys.exit(0)
    sb3_fixtures()
    rsl_rl_fixtures()
    deflated_copy()
    for name in sorted(os.listdir(HERE)):
        print(f"{os.path.getsize(os.path.join(HERE, name)):>9}  {name}")
